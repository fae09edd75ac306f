"""The enquiry form of the investor page, and the planners' list of enquiries.

An enquiry is validated (:func:`geo.store.enquiries.validate_enquiry`: every problem named,
in the person's language) and stored in the project's store (the GeoPackage in the data
folder, or PostGIS with ``DATABASE_URL``) before the page confirms it with its reference
number. The public page shows only the enquiries sent from this browser session; the
planners' "Enquiries" page lists them all, to a logged-in planner or admin only. What people
typed is shown only in ``st.dataframe`` and ``st.text``: never as Markdown or HTML.

While the store file is damaged (:func:`ui.data.store_damage`) the form is not drawn: the page
says that enquiries cannot be received now, rather than taking one it could not keep; and the
store is never opened.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.errors import StoreError
from geo.i18n import LANGUAGE_NAMES, LANGUAGES, t
from geo.store import Store, open_store, store_url
from geo.store.accounts import Account
from geo.store.enquiries import ENQUIRY_LIMITS, Enquiry, EnquiryError
from geo.text import escape_markdown
from ui import state as ui_state
from ui.data import AppData, registry_path, store_damage
from ui.lot_data import Lots, load_lots
from ui.query import ViewState


@st.cache_resource(show_spinner=False)
def _enquiry_store(url: str, seed: str) -> Store:
    """Open the store once per URL (seeded from ``seed`` only if it is new)."""
    return open_store(url, seed=Path(seed))


def enquiry_store() -> Store:
    """Return the store enquiries are kept in: the app's store (:func:`geo.store.store_url`).

    With ``$LSZ_REGISTRY`` the app reads layer files directly, but enquiries still go to the
    store; a new store is then seeded from that registry, so it matches what is shown.

    Raises
    ------
    StoreError
        When the store file is damaged (the pages check first and never get here then).
    """
    damage = store_damage()
    if damage is not None:
        raise StoreError(damage.message())
    return _enquiry_store(store_url(), str(registry_path()))


def _lot_label(lots: Lots, lot_id: str) -> str:
    code = lots.table.at[lot_id, "code"] if lot_id in lots.table.index else None
    return str(code or lot_id)


def enquiry_form(lots: Lots, selected: str | None, lang: str) -> None:
    """Draw the enquiry form; store a valid enquiry and confirm it with its reference number."""
    st.subheader(t("enquiry.title", lang))
    if store_damage() is not None:
        st.warning(t("readonly.enquiry_form", lang))
        return
    st.caption(t("enquiry.privacy", lang))
    lot_ids = [str(i) for i in lots.table.index]
    lot_key = ui_state.widget_key("enquiry.lot_id", lang)
    # The form asks about the selected lot; once the person picks another in the form, it
    # keeps their pick until a new lot is selected on the map or in the table.
    if selected in lot_ids and st.session_state.get(ui_state.ENQUIRY_LOT_SYNCED_KEY) != (
        selected,
        lang,
    ):
        st.session_state[lot_key] = selected
        st.session_state[ui_state.ENQUIRY_LOT_SYNCED_KEY] = (selected, lang)
    with st.form(ui_state.ENQUIRY_FORM_KEY, clear_on_submit=False):
        lot_id = st.selectbox(
            t("enquiry.field.lot_id", lang),
            lot_ids,
            format_func=lambda i: _lot_label(lots, i),
            key=lot_key,
        )
        values: dict[str, str] = {}
        for name in ("name", "organisation", "email", "phone"):
            required = " *" if name in ("name", "email") else ""
            values[name] = st.text_input(
                t(f"enquiry.field.{name}", lang) + required,
                max_chars=ENQUIRY_LIMITS[name],
                key=ui_state.widget_key(f"enquiry.{name}", lang),
            )
        values["message"] = st.text_area(
            t("enquiry.field.message", lang) + " *",
            max_chars=ENQUIRY_LIMITS["message"],
            key=ui_state.widget_key("enquiry.message", lang),
        )
        language = st.selectbox(
            t("enquiry.field.language", lang),
            LANGUAGES,
            index=LANGUAGES.index(lang),
            format_func=LANGUAGE_NAMES.__getitem__,
            key=ui_state.widget_key("enquiry.language", lang),
        )
        sent = st.form_submit_button(t("enquiry.submit", lang))
    if sent:
        fields = {**values, "lot_id": lot_id, "language": language}
        try:
            reference = enquiry_store().add_enquiry(fields, lot_ids=lot_ids)
        except EnquiryError as exc:
            st.error(t("enquiry.invalid", lang))
            for problem in exc.problems:
                st.error(escape_markdown(problem.message(lang)))
        else:
            sent_refs = list(st.session_state.get(ui_state.ENQUIRIES_SENT_KEY, []))
            st.session_state[ui_state.ENQUIRIES_SENT_KEY] = [*sent_refs, reference]
    own = st.session_state.get(ui_state.ENQUIRIES_SENT_KEY, [])
    if own:
        st.success(escape_markdown(t("enquiry.sent", lang, reference=own[-1])))
        st.text(t("enquiry.sent_list", lang, references=", ".join(own)))


def _frame_rows(enquiries: list[Enquiry], lots: Lots | None, lang: str) -> dict[str, list]:
    col = lambda key: t(f"enquiry.col.{key}", lang)  # noqa: E731
    return {
        col("reference"): [e.reference for e in enquiries],
        col("received"): [e.created_at.strftime("%Y-%m-%d %H:%M UTC") for e in enquiries],
        t("enquiry.field.lot_id", lang): [
            _lot_label(lots, e.lot_id) if lots is not None else e.lot_id for e in enquiries
        ],
        t("enquiry.field.name", lang): [e.name for e in enquiries],
        t("enquiry.field.organisation", lang): [e.organisation or "" for e in enquiries],
        t("enquiry.field.email", lang): [e.email for e in enquiries],
        t("enquiry.field.phone", lang): [e.phone or "" for e in enquiries],
        t("enquiry.field.language", lang): [LANGUAGE_NAMES[e.language] for e in enquiries],
        t("enquiry.field.message", lang): [e.message for e in enquiries],
        col("answered"): [
            e.answered_at.strftime("%Y-%m-%d %H:%M UTC") if e.answered_at else "" for e in enquiries
        ],
    }


def _mark(reference: str) -> None:
    enquiry_store().mark_answered(reference)


def enquiries_page(data: AppData, state: ViewState, account: Account | None) -> None:
    """Draw the planners' list of enquiries; each unanswered one can be marked answered.

    Only for a logged-in planner or admin (:func:`ui.auth.login`): anyone else sees that the
    page is for planners, and no enquiry.
    """
    lang = state.lang
    st.header(t("enquiry.list_title", lang))
    if store_damage() is not None:
        st.info(t("readonly.enquiries", lang))
        return
    if account is None or not account.can_edit:
        st.info(t("enquiry.planners_only", lang))
        return
    st.caption(t("enquiry.list_caption", lang))
    show_answered = st.toggle(
        t("enquiry.show_answered", lang), key=ui_state.ENQUIRY_SHOW_ANSWERED_KEY
    )
    store = enquiry_store()
    enquiries = store.enquiries(answered=None if show_answered else False)
    if not enquiries:
        st.info(t("enquiry.none", lang))
        return
    lots = load_lots(data)
    st.dataframe(_frame_rows(enquiries, lots, lang), hide_index=True)
    open_refs = [e.reference for e in enquiries if not e.answered]
    if not open_refs:
        return
    with st.form(ui_state.widget_key("enquiry.mark_form", lang)):
        reference = st.selectbox(
            t("enquiry.mark_which", lang),
            open_refs,
            key=ui_state.widget_key("enquiry.mark_reference", lang),
        )
        if st.form_submit_button(t("enquiry.mark_answered", lang)):
            _mark(reference)
            st.rerun()
