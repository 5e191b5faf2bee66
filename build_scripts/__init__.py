"""Build-time code: compiles the rules, generates pages and vendors front-end assets."""
