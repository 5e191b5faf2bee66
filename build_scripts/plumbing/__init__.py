"""Site plumbing: MkDocs hooks, the generator registry, rules compiler, engine bundle, CSP, vendoring."""
