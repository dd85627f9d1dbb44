"""From a questionnaire to numbers: inventory, engine, assumptions, frozen results."""
