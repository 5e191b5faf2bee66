"""Build-time code, in three floors; imports only run down (tools/import_graph.py checks it).

- the top, the commands: build.py (the `pages` and `post` steps around MkDocs), registry.py (which
  generators feed the site), tools/ (serve, dist, deploy files, snapshot, check_links,
  import_graph) and portable/dist.py;
- the generators and post-processing: pages/ (page generators and their YAML data) and portable/
  (the file:// build's rewrite of the rendered site);
- the shared leaves: plumbing/ (the notice parser, the rules compiler, the engine bundle and
  snapshot, CSP, vendored front-end assets, strict YAML).

source/notice.txt is the notice exactly as issued (read by plumbing/notice.py).  The runtime
(decision/) never imports any of it.
"""
