"""The questionnaire: read from YAML, checked, turned into records, walked by path, asked for."""
