// COpenSSL shim declarations for the pki part of SignetCrypto (see pki.c).
#ifndef SIGNET_COPENSSL_PKI_H
#define SIGNET_COPENSSL_PKI_H
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <openssl/cms.h>

#endif
