"""Docutils settings made once per build: each document still gets settings of its own."""

from docutils.parsers.rst import Parser
from docutils.readers import standalone

from essaysite.speed import docutils_settings


def settings(defaults):
    return docutils_settings.get_settings(standalone.Reader, Parser(), defaults=defaults, read_config_files=True)


def test_settings_equal_those_of_a_parser_of_its_own():
    defaults = {"traceback": True, "report_level": 2, "strip_classes": ["a"], "env": object()}
    fresh = docutils_settings._make_settings(standalone.Reader, Parser(), defaults=defaults, read_config_files=True)
    first, second = settings(defaults), settings(defaults)
    # Each has its own list of included files (a DependencyList compares by identity).
    assert len({id(s.record_dependencies) for s in (fresh, first, second)}) == 3
    without_list = lambda s: {k: v for k, v in vars(s).items() if k != "record_dependencies"}  # noqa: E731
    assert without_list(first) == without_list(fresh) == without_list(second)
    assert first is not second
    first._source = "posts/one.md"  # what Sphinx sets on each document's settings
    assert getattr(second, "_source", None) != "posts/one.md"


def test_other_defaults_make_other_settings():
    defaults = {"traceback": True, "report_level": 2}
    assert settings(defaults).report_level == 2
    assert settings({**defaults, "report_level": 4}).report_level == 4
    # A list with other contents under the same name is another input, not the same one.
    assert settings({**defaults, "strip_classes": ["a"]}).strip_classes == ["a"]
    assert settings({**defaults, "strip_classes": ["b"]}).strip_classes == ["b"]


def test_myst_documents_get_the_parsers_defaults_each_their_own():
    fresh = docutils_settings._myst_make_document()
    first, second = docutils_settings.make_document(), docutils_settings.make_document("posts/two.md")
    without_list = lambda s: {k: v for k, v in vars(s).items() if k != "record_dependencies"}  # noqa: E731
    assert without_list(first.settings) == without_list(second.settings) == without_list(fresh.settings)
    assert first.settings is not second.settings
    assert first.settings.record_dependencies is not second.settings.record_dependencies
    assert second["source"] == "posts/two.md"
    first.settings.tab_width = 2
    assert second.settings.tab_width == fresh.settings.tab_width == 8

