"""Pages of the Brain Gain portal, one module per topic.  Each object page is one view: GET
shows it, POST carries an ``action`` that ``rabta.core.actions.dispatch`` runs as one service
call.  Every read goes through a selector, and each object's fetch returns the viewer's part
in it or a 404."""
