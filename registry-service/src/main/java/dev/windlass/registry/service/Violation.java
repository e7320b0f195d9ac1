package dev.windlass.registry.service;

/** One broken rule: the field (as named in the API), the rule's id and a human message. */
public record Violation(String field, String rule, String message) {}
