"""Investors' enquiries about a lot: validated, stored with a reference number, answered.

One table, ``lsz_enquiries``, the same on both back ends and beside the layer tables (a seed
or a re-seed replaces the layers, never the enquiries). Each row has a sequence number the
database hands out (PostgreSQL ``SERIAL``; SQLite ``AUTOINCREMENT``, which never hands out a
number again, even after the newest row is deleted), so concurrent writers never share one;
the reference number is that number with the year it was received in, ``LSZ-2026-000123``.

What a person types is checked by :func:`validate_enquiry` against one table of limits
(:data:`ENQUIRY_LIMITS`); every problem is reported at once, with a message in the person's
language, and nothing is written while any remains. Enquiry text is data: it is shown only as
plain text, never as Markdown or HTML.

Examples
--------
>>> [p.field for p in validate_enquiry({"lot_id": "lot-a", "name": "", "email": "x",
...                                      "message": "?", "language": "vi"})]
['name', 'email']
>>> print(validate_enquiry({"lot_id": "lot-a", "name": "An", "email": "an@example",
...                         "message": "?", "language": "fr"})[0])
Email: expected an address such as name@example.com; found 'an@example'
>>> reference_number(123, datetime(2026, 12, 2, tzinfo=UTC))
'LSZ-2026-000123'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
    inspect,
    select,
    update,
)

from geo.errors import StoreError
from geo.i18n import LANGUAGES, t

__all__ = [
    "ENQUIRY_FIELDS",
    "ENQUIRY_LIMITS",
    "REQUIRED_FIELDS",
    "Enquiry",
    "EnquiryError",
    "EnquiryProblem",
    "EnquiryStore",
    "enquiry_table",
    "reference_number",
    "validate_enquiry",
]

#: The fields a person fills in, in form order.
ENQUIRY_FIELDS: Final = (
    "lot_id",
    "name",
    "organisation",
    "email",
    "phone",
    "message",
    "language",
)
REQUIRED_FIELDS: Final = frozenset({"lot_id", "name", "email", "message", "language"})
#: The only place the length limits live (characters after trimming spaces): the form's
#: ``max_chars``, the validator and the docs read them.
ENQUIRY_LIMITS: Final[Mapping[str, int]] = {
    "lot_id": 100,
    "name": 120,
    "organisation": 200,
    "email": 254,
    "phone": 32,
    "message": 4000,
    "language": 2,
}
#: Fields that may hold line breaks (the others are one line).
MULTILINE_FIELDS: Final = frozenset({"message"})
#: A phone number: digits, spaces and ``+ ( ) - .``, with this many digits.
PHONE_DIGITS: Final = (6, 15)
_PHONE_CHARS = re.compile(r"[0-9 +().\-]+")
#: One ``@``, no spaces, a dot in the domain; the local part at most 64 characters (RFC 5321).
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")
#: The prefix of every reference number, and the digits of its sequence part.
REFERENCE_PREFIX: Final = "LSZ"
REFERENCE_DIGITS: Final = 6


@dataclass(frozen=True)
class EnquiryProblem:
    """One thing wrong with an enquiry: the field, and a message key of the catalogues.

    Attributes
    ----------
    field : str
        One of :data:`ENQUIRY_FIELDS`.
    key : str
        A message key (``enquiry.problem.*``) of ``geo/locales``; it takes ``{field}`` (the
        field's label) and the ``values``.
    values : Mapping[str, Any]
        What the message names: the limit, what was found.
    """

    field: str
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """Return the message in ``lang``, naming the field by its label in that language."""
        return t(self.key, lang, field=t(f"enquiry.field.{self.field}", lang), **self.values)

    def __str__(self) -> str:
        """Return the message in English."""
        return self.message("en")


class EnquiryError(StoreError):
    """An enquiry that cannot be stored; nothing was written.

    Attributes
    ----------
    problems : tuple of EnquiryProblem
        Every problem found.
    """

    def __init__(self, problems: Collection[EnquiryProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(
            f"the enquiry has {len(self.problems)} problem(s); nothing was written\n{lines}"
        )

    def __reduce__(self) -> tuple:
        """Pickle with its problems."""
        return (type(self), (self.problems,))


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def validate_enquiry(
    fields: Mapping[str, Any], lot_ids: Collection[str] | None = None
) -> list[EnquiryProblem]:
    r"""Return every problem of an enquiry's fields (an empty list when it can be stored).

    Parameters
    ----------
    fields : Mapping[str, Any]
        The form's values by :data:`ENQUIRY_FIELDS` name (spaces around them are ignored).
    lot_ids : Collection[str] or None
        The lots that exist; when given, ``lot_id`` must be one of them.

    Returns
    -------
    list of EnquiryProblem
        In form order; at most one per field.

    Examples
    --------
    >>> ok = {"lot_id": "lot-a", "name": "Nguyễn An", "email": "an@example.vn",
    ...       "phone": "+84 (0)205 123-456", "message": "Giá thuê?", "language": "vi"}
    >>> validate_enquiry(ok)
    []
    >>> print(validate_enquiry({**ok, "phone": "12ab"})[0])
    Phone: expected digits, spaces and + ( ) - . only, with 6 to 15 digits; found '12ab'
    >>> print(validate_enquiry({**ok, "message": "x" * 4001})[0])
    Message: at most 4000 characters; found 4001
    >>> print(validate_enquiry({**ok, "name": "An\nB"})[0])
    Name: expected one line of text, without control characters
    >>> print(validate_enquiry(ok, lot_ids={"lot-b"})[0])
    Lot: expected a lot shown on the map; found 'lot-a'
    """
    problems: list[EnquiryProblem] = []
    for name in ENQUIRY_FIELDS:
        value = _text(fields, name)
        limit = ENQUIRY_LIMITS[name]
        if not value:
            if name in REQUIRED_FIELDS:
                problems.append(EnquiryProblem(name, "enquiry.problem.required"))
            continue
        if len(value) > limit:
            problems.append(
                EnquiryProblem(
                    name, "enquiry.problem.too_long", {"limit": limit, "found": len(value)}
                )
            )
            continue
        bad_chars = _CONTROL.search(value) or (
            name not in MULTILINE_FIELDS and _LINE_BREAK.search(value)
        )
        if bad_chars:
            problems.append(EnquiryProblem(name, "enquiry.problem.control"))
            continue
        problem = _field_problem(name, value, lot_ids)
        if problem is not None:
            problems.append(problem)
    return problems


def _field_problem(name: str, value: str, lot_ids: Collection[str] | None) -> EnquiryProblem | None:
    """Return the problem of one non-empty field's format, if any."""
    found = {"found": repr(value)}
    if name == "email" and not _EMAIL.fullmatch(value):
        return EnquiryProblem(name, "enquiry.problem.email", found)
    if name == "phone":
        digits = sum(c.isdigit() for c in value)
        low, high = PHONE_DIGITS
        if not _PHONE_CHARS.fullmatch(value) or not low <= digits <= high:
            return EnquiryProblem(
                name, "enquiry.problem.phone", {**found, "low": low, "high": high}
            )
    if name == "language" and value not in LANGUAGES:
        return EnquiryProblem(
            name, "enquiry.problem.language", {**found, "expected": ", ".join(LANGUAGES)}
        )
    if name == "lot_id" and lot_ids is not None and value not in lot_ids:
        return EnquiryProblem(name, "enquiry.problem.lot", found)
    return None


def reference_number(sequence: int, received: datetime) -> str:
    """Return the reference number of the enquiry numbered ``sequence``, received then.

    Examples
    --------
    >>> reference_number(1234567, datetime(2027, 1, 1, tzinfo=UTC))
    'LSZ-2027-1234567'
    """
    return f"{REFERENCE_PREFIX}-{received.year:04d}-{sequence:0{REFERENCE_DIGITS}d}"


@dataclass(frozen=True)
class Enquiry:
    """A stored enquiry.

    Attributes
    ----------
    reference : str
        Its reference number (:func:`reference_number`), quoted to the person.
    lot_id, name, organisation, email, phone, message, language : str or None
        What the person sent (trimmed; ``None`` for an optional field left empty).
    created_at : datetime
        When it was stored (UTC).
    answered_at : datetime or None
        When a planner marked it answered (UTC).
    """

    reference: str
    lot_id: str
    name: str
    organisation: str | None
    email: str
    phone: str | None
    message: str
    language: str
    created_at: datetime
    answered_at: datetime | None = None

    @property
    def answered(self) -> bool:
        """Whether a planner has marked it answered."""
        return self.answered_at is not None


def enquiry_table(metadata: MetaData) -> Table:
    """Add the enquiries table to ``metadata`` and return it (the same on both back ends)."""
    return Table(
        "lsz_enquiries",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("reference", Text, unique=True),
        *(Column(name, Text, nullable=name not in REQUIRED_FIELDS) for name in ENQUIRY_FIELDS),
        Column("created_at", Text, nullable=False),
        Column("answered_at", Text),
        # SQLite's AUTOINCREMENT: a number is never handed out twice, even after a delete.
        sqlite_autoincrement=True,
    )


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _enquiry(row: Any) -> Enquiry:
    created = _time(row.created_at)
    assert created is not None  # NOT NULL column
    return Enquiry(
        reference=row.reference,
        **{name: getattr(row, name) for name in ENQUIRY_FIELDS},
        created_at=created,
        answered_at=_time(row.answered_at),
    )


class _StoreLike(Protocol):
    label: str
    dialect: str

    @property
    def _enquiry_table(self) -> Table: ...

    def _reading(self) -> AbstractContextManager[Connection]: ...

    def _writing(self) -> AbstractContextManager[Connection]: ...

    def _create_lock(self, conn: Connection) -> None: ...


class EnquiryStore:
    """The enquiry methods of :class:`geo.store.core.Store` (a mixin; see there)."""

    def add_enquiry(
        self: _StoreLike,
        fields: Mapping[str, Any],
        *,
        lot_ids: Collection[str] | None = None,
        now: datetime | None = None,
    ) -> str:
        """Validate and store an enquiry in one transaction; return its reference number.

        Parameters
        ----------
        fields : Mapping[str, Any]
            The form's values (see :func:`validate_enquiry`).
        lot_ids : Collection[str] or None
            The lots that exist, when known.
        now : datetime or None
            When it was received (UTC); default now.

        Raises
        ------
        EnquiryError
            Listing every problem; nothing is written.
        StoreError
            When the database refuses the write; nothing is written.
        """
        problems = validate_enquiry(fields, lot_ids)
        if problems:
            raise EnquiryError(problems)
        received = (now or datetime.now(UTC)).astimezone(UTC)
        table = self._enquiry_table
        values = {name: _text(fields, name) or None for name in ENQUIRY_FIELDS}
        with self._writing() as conn:
            _ensure_table(self, conn)
            seq = conn.execute(
                insert(table)
                .values(**values, created_at=received.isoformat(timespec="seconds"))
                .returning(table.c.seq)
            ).scalar_one()
            reference = reference_number(int(seq), received)
            # Same transaction: no reader ever sees the row without its reference.
            conn.execute(update(table).where(table.c.seq == seq).values(reference=reference))
        return reference

    def enquiries(self: _StoreLike, *, answered: bool | None = None) -> list[Enquiry]:
        """Return the stored enquiries, newest first (only answered or unanswered ones if asked)."""
        table = self._enquiry_table
        with self._reading() as conn:
            if not inspect(conn).has_table(table.name):
                return []  # a store made before enquiries existed, nobody has asked yet
            query = select(table).order_by(table.c.seq.desc())
            if answered is not None:
                column = table.c.answered_at
                query = query.where(column.is_not(None) if answered else column.is_(None))
            return [_enquiry(row) for row in conn.execute(query)]

    def enquiry(self: _StoreLike, reference: str) -> Enquiry | None:
        """Return the enquiry of a reference number, or None when there is none."""
        table = self._enquiry_table
        with self._reading() as conn:
            if not inspect(conn).has_table(table.name):
                return None
            row = conn.execute(select(table).where(table.c.reference == reference)).first()
        return None if row is None else _enquiry(row)

    def mark_answered(self: _StoreLike, reference: str, *, now: datetime | None = None) -> Enquiry:
        """Mark an enquiry answered (once: a second call keeps the first time); return it.

        Raises
        ------
        StoreError
            When no enquiry has that reference number (nothing is written).
        """
        table = self._enquiry_table
        when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            _ensure_table(self, conn)
            conn.execute(
                update(table)
                .where(table.c.reference == reference, table.c.answered_at.is_(None))
                .values(answered_at=when)
            )
            row = conn.execute(select(table).where(table.c.reference == reference)).first()
            if row is None:
                raise StoreError(
                    f"{self.label}: no enquiry with reference number {reference!r}; "
                    "nothing was written"
                )
        return _enquiry(row)


def _ensure_table(store: _StoreLike, conn: Connection) -> None:
    """Create the enquiries table in a store made before it existed (under the create lock)."""
    if not inspect(conn).has_table(store._enquiry_table.name):
        store._create_lock(conn)
        store._enquiry_table.create(conn, checkfirst=True)
