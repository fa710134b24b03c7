package com.telpro.control.config;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * A value Jackson could not read into its field, as the field problem every API and form
 * reports: the field's JSON path and what it must be ("must be a whole number").
 */
public final class JsonFieldProblems {

	private JsonFieldProblems() {
	}

	/**
	 * The problem, or null when the error names no field (the body as a whole is bad).
	 */
	public static FieldProblem of(JsonMappingException ex) {
		if (ex.getPath().isEmpty()) {
			return null;
		}
		return new FieldProblem(path(ex.getPath()), message(ex));
	}

	private static String message(JsonMappingException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known property";
		}
		if (ex instanceof ValueInstantiationException && ex.getCause() instanceof IllegalArgumentException bad
				&& bad.getMessage() != null) {
			// The wire enums explain their allowed values ("must be one of ...").
			return bad.getMessage();
		}
		if (ex instanceof InvalidFormatException format && format.getTargetType() != null
				&& format.getTargetType().isEnum()) {
			return "has an unknown value";
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + describe(mismatch.getTargetType());
		}
		return "has an invalid value";
	}

	private static String describe(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isEnum()) {
			return "one of the allowed values";
		}
		return "a JSON object";
	}

	private static String path(List<JsonMappingException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference reference : references) {
			if (reference.getFieldName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getFieldName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
