// COpenSSL shim declarations for the cms part of SignetCrypto (see cms.c).
#ifndef SIGNET_COPENSSL_CMS_H
#define SIGNET_COPENSSL_CMS_H
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <openssl/cms.h>

#endif
