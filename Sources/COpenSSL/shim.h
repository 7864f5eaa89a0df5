// The OpenSSL 3 headers mediactl uses; no wrappers are needed (see STYLE.md).
#ifndef MEDIACTL_COPENSSL_SHIM_H
#define MEDIACTL_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/sha.h>
#include <openssl/md5.h>
#include <openssl/rand.h>

// EVP_PKEY_CTX_set_rsa_keygen_bits is a function in 3.0, but BIO_get_mem_data is a macro.
static inline long copenssl_bio_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}
// EVP_PKEY_KEYPAIR is a macro of macros.
static inline int copenssl_keypair_selection(void) { return EVP_PKEY_KEYPAIR; }
#endif
