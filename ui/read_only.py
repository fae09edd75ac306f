"""What the app says while it is read-only because its store file is damaged.

The data then comes from the last good backup or the seed (:func:`ui.data.load_app_data`,
:mod:`geo.store.damage`); these functions only say so. The banner names the damaged file and
the reason, says what is shown instead, and gives the command that restores the store, to be
run by the operator on the server: the app itself offers no restore to anyone. The reason
comes from SQLite and may quote table names read from the damaged file, so every text here is
escaped or shown as code, never rendered as Markdown.
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import t
from geo.store.damage import StoreDamage
from geo.text import escape_markdown


def source_text(damage: StoreDamage, lang: str) -> str:
    """Say what the read-only app shows: the backup (with its time) or the seed."""
    taken = damage.backup_taken
    if damage.backup is not None:
        time = f"{taken:%Y-%m-%d %H:%M} UTC" if taken else damage.backup.name
        return t("readonly.source_backup", lang, time=time)
    return t("readonly.source_seed", lang, folder=str(damage.backup_folder))


def banner(damage: StoreDamage, lang: str) -> None:
    """Draw the read-only banner: the damaged file, why, what is shown, how to restore."""
    st.error(
        escape_markdown(
            t(
                "readonly.banner",
                lang,
                file=str(damage.store),
                reason=damage.reason,
                source=source_text(damage, lang),
            )
        )
    )
    if damage.backup is not None:
        st.text(t("readonly.restore", lang, backup=str(damage.backup)))
    else:
        st.text(t("readonly.restore_copy", lang))
    st.code(damage.restore_command, language="bash")


def tour_note(damage: StoreDamage, lang: str) -> None:
    """Draw the one line the presenting mode says: read-only, and what is shown."""
    st.caption(escape_markdown(t("readonly.tour", lang, source=source_text(damage, lang))))
