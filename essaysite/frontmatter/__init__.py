"""Essays' front matter: the contract (``contract``), one essay checked
(``essay``), every essay at once (``site``). Used by the build
(``essaysite.features.frontmatter``) and by ``essays-check`` and ``essays-new``."""
