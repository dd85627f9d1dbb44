"""The questionnaire: YAML reader, units, paths, rules, the plain reader, the fast path,
models, records, ranges, schema, interview."""
