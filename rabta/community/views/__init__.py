"""Pages of the community, one module per topic (members, chapters, forum, moderation,
honours, panels).  Each object page is one view: GET shows it, POST carries an ``action`` that
calls one service through ``rabta.core.actions``.  Every fetch goes through a selector scoped
to the viewer; only the Hall of Fame is public."""
