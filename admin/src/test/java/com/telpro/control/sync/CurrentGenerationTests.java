package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A trunk is published again exactly when its row changed, whoever wrote it: after each
 * change the document built with the remembered trunks is the one a build from scratch
 * gives, and an unchanged trunk is not published again.
 */
@SpringBootTest
class CurrentGenerationTests {

	@Autowired
	CurrentGeneration current;

	@Autowired
	GenerationBuilder builder;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
	}

	@Test
	void aTrunkIsPublishedAgainOnlyWhenItsRowChanged() {
		Trunk a = trunks.save(Trunks.ipOnly("a", 10, "192.0.2.1"));
		Trunk b = trunks.save(Trunks.digest("b", 20, "^b\\.example$", "b.example", "bob", "pw-1"));
		trunks.save(Trunks.ipOnly("c", 30, "192.0.2.3"));

		GenerationDocument first = current.build().document();
		assertThat(first.trunks()).extracting(PublishedTrunk::name).containsExactly("a", "b", "c");
		assertSameAsFromScratch(first);

		GenerationDocument again = current.build().document();
		assertThat(again.trunks().get(1)).isSameAs(first.trunks().get(1));
		assertThat(again.contentHash()).isEqualTo(first.contentHash());

		// plain SQL, behind the service's back: the row version changes all the same
		jdbc.update("update trunk set user_agent_pattern = '^PBX$', priority = 5 where id = ?", b.getId());
		GenerationDocument edited = current.build().document();
		assertThat(edited.trunks()).extracting(PublishedTrunk::name).containsExactly("b", "a", "c");
		assertThat(edited.trunks().get(0).hash()).isNotEqualTo(first.trunks().get(1).hash());
		assertThat(edited.trunks().get(1)).isSameAs(first.trunks().get(0));
		assertSameAsFromScratch(edited);

		// a new password changes the HA1 (the row holds only its ciphertext)
		Trunk stored = trunks.findById(b.getId()).orElseThrow();
		stored.setAuthPass("pw-2");
		trunks.save(stored);
		GenerationDocument newPassword = current.build().document();
		assertThat(newPassword.trunks().get(0).hash()).isNotEqualTo(edited.trunks().get(0).hash());
		assertSameAsFromScratch(newPassword);

		jdbc.update("update trunk set enabled = false where id = ?", a.getId());
		trunks.save(Trunks.ipOnly("d", 1, "192.0.2.4"));
		GenerationDocument disabledAndAdded = current.build().document();
		assertThat(disabledAndAdded.trunks()).extracting(PublishedTrunk::name).containsExactly("d", "b", "c");
		assertSameAsFromScratch(disabledAndAdded);

		trunks.deleteById(b.getId());
		GenerationDocument deleted = current.build().document();
		assertThat(deleted.trunks()).extracting(PublishedTrunk::name).containsExactly("d", "c");
		assertSameAsFromScratch(deleted);
	}

	private void assertSameAsFromScratch(GenerationDocument document) {
		TransactionTemplate readOnly = new TransactionTemplate(transactions);
		readOnly.setReadOnly(true);
		GenerationDocument fromScratch = readOnly
			.execute(status -> builder.build(trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc()));
		assertThat(document.trunkHashes()).isEqualTo(fromScratch.trunkHashes());
		assertThat(List.copyOf(document.trunkHashes().keySet()))
			.isEqualTo(List.copyOf(fromScratch.trunkHashes().keySet()));
		assertThat(document.contentHash()).isEqualTo(fromScratch.contentHash());
	}

}
