package com.telpro.control.secret;

/** One entry of a problem response's {@code errors}: which field, and what is wrong with it. */
public record FieldProblem(String field, String message) {
}
