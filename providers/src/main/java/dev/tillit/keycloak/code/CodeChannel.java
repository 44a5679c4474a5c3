package dev.tillit.keycloak.code;

/** Where a one-time code travels. */
public enum CodeChannel {
    SMS,
    EMAIL
}
