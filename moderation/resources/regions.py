"""Region codes: ISO 3166-1 alpha-2 plus ``"INT"`` (international / unknown)."""

from __future__ import annotations

INTERNATIONAL = "INT"

#: Officially assigned ISO 3166-1 alpha-2 codes (249), plus XK (Kosovo), which
#: is user-assigned but widely emitted by geo-IP services.
ISO_3166_ALPHA2 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    XK
    YE YT
    ZA ZM ZW
    """.split()
)

#: Common non-ISO spellings that unambiguously mean an ISO code.
REGION_ALIASES = {"UK": "GB"}

VALID_REGIONS = ISO_3166_ALPHA2 | {INTERNATIONAL}


def normalize_region(code: object) -> str | None:
    """Return the canonical region code for ``code``, or ``None`` if it is not one.

    Strips whitespace, uppercases and maps aliases (``"uk"`` -> ``"GB"``).
    Accepts ISO 3166-1 alpha-2 codes and ``"INT"``. Anything else (``None``,
    ``""``, ``"XX"``, ``"T1"``, ``"GBR"``, non-strings) gives ``None``.
    """
    if not isinstance(code, str):
        return None
    value = code.strip().upper()
    value = REGION_ALIASES.get(value, value)
    return value if value in VALID_REGIONS else None


def resolve_region(comment_region: object, site_region: object) -> str:
    """The region to suggest resources for: the comment's, else the site's, else ``"INT"``.

    Each value is normalised with :func:`normalize_region`; an invalid or empty
    value counts as missing (this never raises). Validate a site's configured
    default with :func:`normalize_region` when it is saved.
    """
    return normalize_region(comment_region) or normalize_region(site_region) or INTERNATIONAL
