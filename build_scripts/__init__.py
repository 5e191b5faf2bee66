"""Build-time code, grouped by job (the runtime never imports it).

- pages/: page generators and their YAML data (the notice edition, glossary, disposition pages,
  flowcharts, coverage, training, the roster and wizard pages, search tuning; pagekit is shared).
- plumbing/: what turns sources into a site: the MkDocs hooks and the generator registry, the
  rules compiler, the engine bundle, CSP, vendored front-end assets, server configuration files.
- tools/: commands run by hand or by `make`: serve, dist, snapshot, check_links.
- source/notice.txt: the notice exactly as issued (read by pages/notice.py).
"""
