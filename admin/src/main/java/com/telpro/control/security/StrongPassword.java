package com.telpro.control.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A new password {@link PasswordStrength} accepts; the message says what makes it
 * guessable.
 */
@Documented
@Constraint(validatedBy = StrongPassword.Check.class)
@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
public @interface StrongPassword {

	String message() default "is too easy to guess";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Bean Validation hook for {@link PasswordStrength}. */
	class Check implements ConstraintValidator<StrongPassword, String> {

		/** Shorter ones get the length rule's message alone. */
		private static final int MEASURED_FROM = 8;

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			if (value == null || value.length() < MEASURED_FROM) {
				return true;
			}
			return PasswordStrength.problem(value).map(problem -> {
				context.disableDefaultConstraintViolation();
				// the message is ours, not user input: escape EL/message-interpolation
				// markers anyway
				context.buildConstraintViolationWithTemplate(problem.replaceAll("[{}$\\\\]", ""))
					.addConstraintViolation();
				return false;
			}).orElse(true);
		}

	}

}
