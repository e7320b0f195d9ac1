package dev.windlass.gateway.rest;

import java.util.List;

/** The signed-in user as the console and the command line see them. */
public record Me(String name, String email, List<String> groups, List<String> roles) {}
