// Helpers shared by the pki files of the COpenSSL shim (not part of the module's interface).
#ifndef SIGNET_COPENSSL_PKI_SUPPORT_H
#define SIGNET_COPENSSL_PKI_SUPPORT_H
#include "COpenSSL.h"

/// Joins strings written to a memory BIO; returns an OPENSSL_malloc'd copy or NULL when empty.
char *signet_pki_bio_string(BIO *bio);

/// Writes `object` as a dotted OID to `bio`, after a '\n' unless `*first` (then cleared).
void signet_pki_append_oid(BIO *bio, const ASN1_OBJECT *object, int *first);

/// A uniformResourceIdentifier GeneralName, or NULL.
GENERAL_NAME *signet_pki_uri_name(const char *uri);

/// An OCTET STRING with a copy of the bytes, or NULL.
ASN1_OCTET_STRING *signet_pki_octets(const unsigned char *bytes, int length);

/// An INTEGER from a big-endian magnitude, or NULL.
ASN1_INTEGER *signet_pki_integer(const unsigned char *bytes, int length);

/// An authorityKeyIdentifier with the keyIdentifier field only, or NULL.
AUTHORITY_KEYID *signet_pki_akid(const unsigned char *keyid, int length);

#endif
