package com.telpro.control;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.data.repository.Repository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/** The few dependency rules that keep the layering honest. */
@AnalyzeClasses(packages = "com.telpro.control", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule controllersGoThroughServices = noClasses().that()
		.areAnnotatedWith(Controller.class)
		.or()
		.areAnnotatedWith(RestController.class)
		.should()
		.dependOnClassesThat()
		.areAssignableTo(Repository.class)
		.because("web controllers call services; services own transactions and audit");

	@ArchTest
	static final ArchRule featuresOwnTheirRedisUse = noClasses().that()
		.resideInAnyPackage("..admin..", "..common..", "..lint..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework.data.redis..")
		.because(
				"each feature owns its Redis use (sync the generations, xcall the X-Call ids, call the record stream, secret "
						+ "the watchers' status), with the key names of the redis-contract module; pages and shared "
						+ "helpers go through a feature");

	@ArchTest
	static final ArchRule adminPagesDoNotServeJson = noClasses().that()
		.resideInAPackage("..admin..")
		.should()
		.beAnnotatedWith(RestController.class)
		.because("admin/ holds the Thymeleaf pages; APIs live with their feature");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("com.telpro.control.(*)..")
		.should()
		.beFreeOfCycles()
		.because("a feature that needs another's data asks through an interface it owns (SecretReferences)");

	@ArchTest
	static final ArchRule sharedHelpersDependOnNoFeature = classes().that()
		.resideInAPackage("..common..")
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("..common..", "java..")
		.because("common/ holds helpers every feature uses; a feature type there would tie them all together");

}
