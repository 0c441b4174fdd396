"""Import a Jekyll blog into the essay site: ``essays-import-jekyll SRC``.

One module per concern, in the order a post goes through them:

- ``source``: the Jekyll site on disk (``_config.yml``, posts, drafts, includes);
- ``text``: bytes to clean text (BOM, CRLF, cp1252, mojibake repaired by ftfy);
- ``frontmatter``: Jekyll front matter to the essay site's front matter;
- ``urls``: a post's old URL, computed with Jekyll's permalink rules;
- ``liquid``: Liquid tags and variables to MyST;
- ``kramdown``: kramdown's extensions to MyST;
- ``assets``: pictures found, copied and re-pointed;
- ``report``: what was imported, changed, not converted, or failed;
- ``importer``: the whole run, planned first and then written atomically;
- ``cli``: the command line.
"""
