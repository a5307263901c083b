// OCSP responses and requests: certificates, producedAt, nonces, signatures
// (COpenSSL_pki.h, "OCSP").
// Every function leaves OpenSSL's error queue describing a failure and frees what it
// allocated.
#include "COpenSSL.h"
#include <string.h>

const STACK_OF(X509) *signet_pki_ocsp_certs(OCSP_BASICRESP *basic) {
    return OCSP_resp_get0_certs(basic);
}

int signet_pki_ocsp_set_produced_at(OCSP_BASICRESP *basic, time_t when) {
    // producedAt is a required field that OCSP_BASICRESP_new allocates; the getter is
    // const only because the structure is opaque.
    ASN1_GENERALIZEDTIME *produced = (ASN1_GENERALIZEDTIME *)OCSP_resp_get0_produced_at(basic);
    return produced != NULL && ASN1_GENERALIZEDTIME_set(produced, when) != NULL;
}

static int signet_pki_nonce_value(X509_EXTENSION *extension, unsigned char **out) {
    *out = NULL;
    ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(extension);
    if (data == NULL) return -1;
    const unsigned char *bytes = ASN1_STRING_get0_data(data);
    int length = ASN1_STRING_length(data);
    // RFC 6960 §4.4.1: the extnValue holds an OCTET STRING; unwrap it when it does.
    const unsigned char *cursor = bytes;
    ASN1_OCTET_STRING *inner = d2i_ASN1_OCTET_STRING(NULL, &cursor, length);
    if (inner != NULL && cursor == bytes + length) {
        bytes = ASN1_STRING_get0_data(inner);
        length = ASN1_STRING_length(inner);
    } else {
        ERR_clear_error();
    }
    *out = OPENSSL_malloc(length > 0 ? (size_t)length : 1);
    if (*out != NULL && length > 0) memcpy(*out, bytes, (size_t)length);
    ASN1_OCTET_STRING_free(inner);
    return *out == NULL ? -1 : length;
}

int signet_pki_ocsp_response_nonce(OCSP_BASICRESP *basic, unsigned char **out) {
    *out = NULL;
    int index = OCSP_BASICRESP_get_ext_by_NID(basic, NID_id_pkix_OCSP_Nonce, -1);
    if (index < 0) return -1;
    return signet_pki_nonce_value(OCSP_BASICRESP_get_ext(basic, index), out);
}

int signet_pki_ocsp_request_nonce(OCSP_REQUEST *request, unsigned char **out) {
    *out = NULL;
    int index = OCSP_REQUEST_get_ext_by_NID(request, NID_id_pkix_OCSP_Nonce, -1);
    if (index < 0) return -1;
    return signet_pki_nonce_value(OCSP_REQUEST_get_ext(request, index), out);
}

int signet_pki_ocsp_verify_signature(OCSP_BASICRESP *basic, X509 *signer) {
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL || sk_X509_push(certs, signer) <= 0) {
        sk_X509_free(certs);
        return 0;
    }
    // The signer must match the ResponderID and be found in `certs` only (NOINTERN);
    // NOVERIFY: no chain building here, the caller decides whether the signer is authorized.
    int ok = OCSP_basic_verify(basic, certs, NULL, OCSP_NOINTERN | OCSP_NOVERIFY) == 1;
    sk_X509_free(certs);
    return ok;
}
