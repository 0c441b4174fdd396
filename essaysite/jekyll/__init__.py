"""Import a Jekyll blog into the essay site: ``essays-import-jekyll SRC``.

One module per concern, in the order a post goes through them:

- ``source``: the Jekyll site on disk (``_config.yml``, posts, drafts, includes);
- ``text``: bytes to clean text (BOM, CRLF, cp1252, mojibake repaired by ftfy);
- ``frontmatter``: Jekyll front matter to the essay site's front matter;
- ``urls``: a post's old URL, computed with Jekyll's permalink rules;
- ``post``: one post read (front matter, date, slug, title, lists);
- ``links``: the essays' names and old URLs; where a link points now;
- ``liquid``: Liquid tags and variables to MyST;
- ``kramdown``: kramdown's blocks to MyST, with ``kramdown_attributes``
  (attribute lists, pictures), ``kramdown_inline`` (links, maths,
  abbreviations, tables) and ``kramdown_syntax`` (what they share);
- ``html``: addresses inside HTML re-pointed;
- ``convert``: one post converted, front matter and text;
- ``assets``: pictures found, copied and re-pointed;
- ``report``: what was imported, changed, not converted, or failed;
- ``writing``: the plan of files, written atomically, never over another's;
- ``importer``: the whole run, planned first and then written;
- ``cli``: the command line.
"""
