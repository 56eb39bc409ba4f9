"""Which web sources a reference may point at.

A reference is best identified by PMID, DOI or NCT number. When it needs a `url` (a label, a
regulator's notice, a congress abstract, a society's news), the host must be one a haematologist
would accept: the literature, regulators, registries, professional bodies, the sponsors' own
newsrooms for dated regulatory events, and established oncology news outlets. SEO drug-information
sites, AI-written summaries, blogs and unofficial mirrors are refused by the validator.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

TRUSTED_HOST_SUFFIXES: tuple[str, ...] = (
    # literature and indexes
    "ncbi.nlm.nih.gov",
    "nlm.nih.gov",
    "doi.org",
    "europepmc.org",
    "ashpublications.org",
    "ascopubs.org",
    "nejm.org",
    "thelancet.com",
    "nature.com",
    "cell.com",
    "science.org",
    "aacrjournals.org",
    "jci.org",
    "jamanetwork.com",
    "haematologica.org",
    "frontiersin.org",
    "biomedcentral.com",
    "springer.com",
    "wiley.com",
    "sciencedirect.com",
    "elsevier.com",
    "tandfonline.com",
    "mdpi.com",
    "oup.com",
    "bmj.com",
    "ehaweb.org",
    "guidetopharmacology.org",
    "elsevierpure.com",
    "lirias.kuleuven.be",
    "petermac.org",
    "mdsabstracts.org",
    "ash-sap.org",
    "hemasphere",
    "ash.confex.com",
    "confex.com",
    "astctjournal.org",
    "bloodcancerjournal",
    # regulators, HTA bodies and registries
    "fda.gov",
    "ema.europa.eu",
    "europa.eu",
    "nmpa.gov.cn",
    "cde.org.cn",
    "pmda.go.jp",
    "gov.uk",
    "nice.org.uk",
    "has-sante.fr",
    "canada.ca",
    "tga.gov.au",
    "clinicaltrials.gov",
    "who.int",
    "isrctn.com",
    "chictr.org.cn",
    "cancer.gov",
    "nih.gov",
    # professional bodies and their news
    "hematology.org",
    "ashclinicalnews.org",
    "asco.org",
    "ascopost.com",
    "esmo.org",
    "ehaweb.org",
    "ebmt.org",
    "astct.org",
    "aabb.org",
    "myeloma.org",
    "imf.org",
    "nccn.org",
    "ons.org",
    "aacr.org",
    # academic centres (their own press releases and trial pages)
    "mskcc.org",
    "stanfordhealthcare.org",
    "mdanderson.org",
    "dana-farber.org",
    "pennmedicine.org",
    # sponsors' newsrooms and regulatory filings (dated events, top-line data)
    "jnj.com",
    "janssen.com",
    "bms.com",
    "pfizer.com",
    "regeneron.com",
    "roche.com",
    "gsk.com",
    "legendbiotech.com",
    "arcellx.com",
    "gilead.com",
    "kitepharma.com",
    "allogene.com",
    "poseida.com",
    "crisprtx.com",
    "fatetherapeutics.com",
    "novartis.com",
    "astrazeneca.com",
    "iasobio.com",
    "jnjmedicalconnect.com",
    "carvyktihcp.com",
    "janssen-pi.co.uk",
    "pfizerclinicaltrials.com",
    "sec.gov",
    "businesswire.com",
    "prnewswire.com",
    "globenewswire.com",
    # established oncology news outlets (congress reports)
    "onclive.com",
    "targetedonc.com",
    "cancernetwork.com",
    "healio.com",
    "mdedge.com",
    "medscape.com",
    "ajmc.com",
    "cancertherapyadvisor.com",
    "hematologyadvisor.com",
    "oncnursingnews.com",
    "pharmacytimes.com",
)

UNTRUSTED_HOST_MARKERS: tuple[str, ...] = (
    "staging",
    "stage.",
    "dev-",
    "develop-",
    "preview-",
    "vercel.app",
    "platformsh",
    "fastly",
    "mimsdev",
    "-git-",
    "test.",
)


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable source, or None when it is."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return "is not an http(s) URL"
    host = parsed.hostname.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return f"points at a bare IP address ({host}), not a publisher"
    except ValueError:
        pass
    if any(marker in host for marker in UNTRUSTED_HOST_MARKERS):
        return f"host '{host}' is a staging or mirror copy; cite the original"
    labels = host.split(".")
    for suffix in TRUSTED_HOST_SUFFIXES:
        if "." not in suffix:  # a publisher's name that appears as a label (e.g. hemasphere)
            if suffix in labels:
                return None
        elif host == suffix or host.endswith("." + suffix):
            return None
    return (
        f"host '{host}' is not an accepted source (cite the PMID/DOI/NCT, the regulator or the "
        "publisher; see db/README.md, 'Which sources count')"
    )
