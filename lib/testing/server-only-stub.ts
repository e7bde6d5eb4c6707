// Empty stand-in for the 'server-only' marker under Vitest (see vitest.config.mts).
