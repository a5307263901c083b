#!/usr/bin/env python3
"""pyHanko's AdES engine (ETSI EN 319 102-1 long-term validation, `ades_lta_validation`)
as a test oracle: prints one JSON object per approval signature of a PDF.

    pyhanko-ades.py FILE.pdf --trust ROOT.pem [--trust ...] [--validation-time ISO8601]

Each line: {"field", "indication" (TOTAL_PASSED / INDETERMINATE / TOTAL_FAILED),
"subIndication" (the ETSI name, absent when passed), "modificationLevel" (pyHanko's
ModificationLevel name: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER; absent when
not analysed), "modificationsAllowed" (pyHanko's DocMDP/diff verdict on them), "bottomLine"
(pyHanko's own overall yes/no, which also counts the modifications: the AdES indication
alone does not; it also counts a signature timestamp as untrusted once its TSA certificate
expired, even when the AdES engine validated it in the past), "signatureTimestampIndication"
(the AdES result for the signature timestamp, when one validated), "bestSignatureTime",
"oldestEvidenceRecordTimestamp" (the oldest document timestamp after the signature),
"failure" (pyHanko's message, if any)}.

Validation data comes only from the file (and --trust): no CRL, OCSP or certificate is
fetched online. The policy is the one `pyhanko sign adesverify` uses (revocation data
required, freshness not). With --validation-time the signatures are judged as at that
time (point-in-time validation), otherwise now.
"""
import argparse
import asyncio
import json
import logging
import sys
from dataclasses import replace
from datetime import datetime, timezone

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy, FreshnessReqType
from pyhanko_certvalidator.registry import SimpleTrustManager

INDICATIONS = {"PASSED": "TOTAL_PASSED", "INDETERMINATE": "INDETERMINATE", "FAILED": "TOTAL_FAILED"}


def iso(moment):
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else None


async def judge(path, roots, timing):
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO, freshness=None, freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION),
    )
    spec = PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
                certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
            ),
        ),
        diff_policy=DEFAULT_DIFF_POLICY,
    )
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle)
        for signature in reader.embedded_regular_signatures:
            result = await ades_lta_validation(signature, spec, timing_info=timing)
            indication = INDICATIONS[result.ades_subindic.status.name]
            status = result.api_status
            level = status.modification_level if status is not None else None
            line = {
                "field": signature.field_name,
                "indication": indication,
                "bottomLine": bool(status.bottom_line) if status is not None else False,
                "bestSignatureTime": iso(result.best_signature_time),
                "oldestEvidenceRecordTimestamp": iso(result.oldest_evidence_record_timestamp),
            }
            if indication != "TOTAL_PASSED":
                line["subIndication"] = result.ades_subindic.standard_name
            if level is not None:
                line["modificationLevel"] = level.name
            if status is not None and status.docmdp_ok is not None:
                line["modificationsAllowed"] = bool(status.docmdp_ok)
            stamp = result.signature_timestamp_status
            if stamp is not None:
                line["signatureTimestampIndication"] = INDICATIONS[stamp.ades_subindic.status.name]
            if result.failure_msg:
                line["failure"] = result.failure_msg
            print(json.dumps(line, sort_keys=True), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--trust", action="append", default=[], required=True)
    parser.add_argument("--validation-time")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    roots = [load_cert_from_pemder(path) for path in arguments.trust]
    if arguments.validation_time:
        moment = datetime.fromisoformat(arguments.validation_time.replace("Z", "+00:00"))
        timing = ValidationTimingInfo(moment, moment, point_in_time_validation=True)
    else:
        timing = ValidationTimingInfo.now()
    asyncio.run(judge(arguments.file, roots, timing))


if __name__ == "__main__":
    main()
