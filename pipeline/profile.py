"""Body profiles: what is particular to one series or kind of meeting body, as data.

A profile is a TOML file in ``pipeline/data/profiles/``. It names the parsers that
apply, the evidence that tells the profile from a document's text, and the
vocabulary each parser and the outline read (headings, list headings, posts).
Everything genre-wide lives in ``genre.toml``, which every profile extends; a
profile's own value for a key replaces the genre's, and a key written
``extra_<key>`` is appended to the genre's list instead.

Profiles load strictly, as SudachiPy loads its dictionaries: a file that is not
TOML, a section no parser reads, a key of the wrong type, or a parser that does
not exist is an error naming the file and line.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex as re

#: The profile every other one extends (not a profile to detect).
GENRE = "genre"
#: The profile given to a readable document that fits no other: generic parsers only.
FALLBACK = "unrecognized"

#: Sections a profile may have, and the keys allowed at its top level.
_SECTIONS = {"detect", "outline", "header", "attendees", "cover", "items", "schedule", "kpis"}
_TOP_KEYS = {"name", "description", "extends", "parsers"}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Profile:
    """One body profile, merged with the genre profile it extends.

    Attributes:
        name: the profile's name (its file name), stored as documents.profile.
        description: one line for people.
        parsers: names of the registered parsers that run for this profile, in order.
        sections: section name → key → value (strings, numbers, lists of strings
            or of [string, number] pairs), the genre's values included.
    """

    name: str
    description: str
    parsers: tuple[str, ...]
    sections: dict = field(default_factory=dict, compare=False)

    def get(self, section: str, key: str, default=None):
        """A value of the profile, e.g. ``profile.get("attendees", "list_headings", [])``."""
        return self.sections.get(section, {}).get(key, default)

    def words(self, section: str, key: str) -> tuple[str, ...]:
        """A list of vocabulary (strings), empty when the profile has none."""
        return tuple(self.sections.get(section, {}).get(key, ()))

    def pattern(self, section: str, key: str, *, spaced: bool = True) -> re.Pattern | None:
        """One regex alternation of a vocabulary list, longest words first.

        With ``spaced`` (default) any whitespace may stand between the characters of a
        word, as letter-spaced headings print them (出 席 委 員). None for an empty list.
        """
        words = sorted(self.words(section, key), key=len, reverse=True)
        if not words:
            return None
        if spaced:
            alts = [r"\s*".join(re.escape(ch) for ch in w) for w in words]
        else:
            alts = [re.escape(w) for w in words]
        return re.compile("(?:" + "|".join(alts) + ")")


def _line_of(text: str, key: str, *, section: bool = False) -> int | None:
    """The line where ``key`` (or the section ``[key]``) is written, for error messages."""
    pat = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(key)}[ \t]*\]" if section else rf"^[ \t]*{re.escape(key)}[ \t]*=",
                     re.M)
    m = pat.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _check_value(value, where: str) -> None:
    ok = isinstance(value, (str, int, float, bool))
    if isinstance(value, list):
        ok = all(isinstance(v, str) or (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                                        and isinstance(v[1], (int, float))) for v in value)
    if not ok:
        raise ProfileError(f"{where}: a value must be a string, a number, or a list of strings "
                           "or of [string, number] pairs")


def text_to_raw_profile(text: str, filename: str) -> dict:
    """Parse and validate one profile file's text (no merging).

    Raises:
        ProfileError: naming ``filename`` and the line of the fault.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{filename}: {e}") from None
    for key, value in raw.items():
        line = _line_of(text, key, section=isinstance(value, dict))
        where = f"{filename}, line {line}" if line else filename
        if isinstance(value, dict):
            if key not in _SECTIONS:
                raise ProfileError(f"{where}: unknown section [{key}] (known: {', '.join(sorted(_SECTIONS))})")
            for k, v in value.items():
                kl = _line_of(text, k)
                _check_value(v, f"{filename}, line {kl}" if kl else f"{filename} [{key}] {k}")
        elif key not in _TOP_KEYS:
            raise ProfileError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    if "parsers" in raw and not (isinstance(raw["parsers"], list) and all(isinstance(p, str) for p in raw["parsers"])):
        raise ProfileError(f"{filename}, line {_line_of(text, 'parsers')}: parsers must be a list of names")
    return raw


def _merge(base: dict, own: dict) -> dict:
    out = {s: dict(v) for s, v in base.items() if isinstance(v, dict)}
    for s, values in own.items():
        if not isinstance(values, dict):
            continue
        merged = out.setdefault(s, {})
        for k, v in values.items():
            if k.startswith("extra_"):
                base_key = k[len("extra_"):]
                merged[base_key] = [*merged.get(base_key, []), *v]
            else:
                merged[k] = v
    return out


def _profile_files() -> dict[str, str]:
    folder = resources.files("pipeline").joinpath("data", "profiles")
    return {p.name[:-5]: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".toml")}


@lru_cache(maxsize=1)
def load_profiles() -> dict[str, Profile]:
    """Every profile of the package, merged with the genre profile, by name.

    Raises:
        ProfileError: a file is malformed, extends an unknown profile, or names a
            parser the registry does not have.
    """
    from pipeline.registry import parser_names

    texts = _profile_files()
    if GENRE not in texts:
        raise ProfileError(f"the genre profile {GENRE}.toml is missing from pipeline/data/profiles")
    raws = {name: text_to_raw_profile(text, f"{name}.toml") for name, text in texts.items()}
    known = parser_names()
    out = {}
    for name, raw in raws.items():
        if name == GENRE:
            continue
        parent = raw.get("extends", GENRE)
        if parent != GENRE:
            raise ProfileError(f"{name}.toml, line {_line_of(texts[name], 'extends')}: "
                               f"extends {parent!r}; profiles extend {GENRE!r} only")
        parsers = tuple(raw.get("parsers", raws[GENRE].get("parsers", [])))
        for p in parsers:
            if p not in known:
                raise ProfileError(f"{name}.toml, line {_line_of(texts[name], 'parsers')}: "
                                   f"unknown parser {p!r} (registered: {', '.join(sorted(known))})")
        out[name] = Profile(name=name, description=raw.get("description", ""), parsers=parsers,
                            sections=_merge(raws[GENRE], raw))
    if FALLBACK not in out:
        raise ProfileError(f"the fallback profile {FALLBACK}.toml is missing from pipeline/data/profiles")
    return out


#: The profile parsers read with when a caller gives them no context (tests, tools): the
#: series' kind of packet, which every parser has vocabulary for.
DEFAULT_PROFILE = "renkei_packet"


def default_profile() -> Profile:
    """The DEFAULT_PROFILE."""
    return get_profile(DEFAULT_PROFILE)


def get_profile(name: str) -> Profile:
    """The profile called ``name``.

    Raises:
        KeyError: no such profile (the message lists the known ones).
    """
    profiles = load_profiles()
    if name not in profiles:
        raise KeyError(f"unknown profile {name!r} (known: {', '.join(sorted(profiles))})")
    return profiles[name]


@dataclass(frozen=True)
class Detection:
    """Which profile a document fits, and why (stored as documents.profile_evidence)."""

    profile: Profile
    score: float
    evidence: tuple[str, ...]
    forced: bool = False

    def evidence_text(self) -> str:
        if self.forced:
            return "forced with --profile"
        if not self.evidence:
            return "no profile's evidence found"
        return f"score {self.score:g}: " + ", ".join(self.evidence)


def text_to_detection(text: str, profiles: dict[str, Profile] | None = None) -> Detection:
    """The profile whose evidence weighs most in ``text`` (a document's text, spaces ignored).

    Each profile lists ``[detect] evidence`` as [phrase, weight] pairs and a
    ``min_score``; a phrase counts once however often it occurs. The best profile at
    or above its min_score wins (ties: the one with more phrases found, then the
    name); with none, the fallback profile.
    """
    profiles = profiles or load_profiles()
    compact = re.sub(r"\s+", "", text)
    best: tuple | None = None
    for name in sorted(profiles):
        prof = profiles[name]
        if name == FALLBACK:
            continue
        found, score = [], 0.0
        for phrase, weight in prof.get("detect", "evidence", []):
            if re.sub(r"\s+", "", phrase) in compact:
                found.append(phrase)
                score += weight
        if score >= prof.get("detect", "min_score", 1) and found:
            key = (score, len(found))
            if best is None or key > best[0]:
                best = (key, prof, tuple(found))
    if best is None:
        return Detection(profiles[FALLBACK], 0.0, ())
    return Detection(best[1], best[0][0], best[2])
