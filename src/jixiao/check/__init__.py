"""Check stage: registered rules and pandera schemas turn models and scorecards into findings."""
