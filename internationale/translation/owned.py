"""What an organization owns of translation (core/owned.py): the language versions of its content,
which go wherever their original goes."""

from django.utils.translation import gettext_noop

from internationale.core.owned import Owned, declare_not_owned, declare_owned

declare_owned(
    Owned(
        model="translation.LanguageVersion",
        key="translation.language_version",
        generic=("content_type", "object_id"),
        confidential=True,
    )
)
declare_not_owned("translation.Segment", gettext_noop("the server's cache of machine translation"))
declare_not_owned("translation.InstalledModel", gettext_noop("the server's translation models"))
declare_not_owned("translation.Volunteer", gettext_noop("a person's offer to translate"))
declare_not_owned(
    "translation.TranslationRequest", gettext_noop("the work queue of this server's translators")
)
