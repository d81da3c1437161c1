import type { webcrypto } from 'node:crypto'
import { hex, pem, randomBytes } from '../util/web-crypto.js'

/** What the mock signs and authenticates its ESS deliveries with. */
export interface EventKeyMaterial {
  /** RSA-2048 private key of the `Concur-Signature` (PEM `PRIVATE KEY`; memory only, never served). */
  readonly signingKey: string
  /** Its public key (PEM `PUBLIC KEY`), served by the admin API and `concurkit mock --json`. */
  readonly publicKeyPem: string
  /** The CA of the mock's client certificate (PEM): a receiver trusts it to authenticate the mock. */
  readonly clientCaPem: string
  /** The client certificate the mock presents (mutual TLS), CN `webhook.api.concursolutions.com`. */
  readonly clientCertPem: string
  /** Its private key (PEM), memory only. */
  readonly clientKeyPem: string
}

let signingPair: Promise<{ privateKeyPem: string; publicKeyPem: string }> | undefined

/**
 * One RSA signing key per process (WebCrypto, generated off the event loop at first use;
 * ~100-400 ms), as PEM: `signConcurEvent` takes the private key, the admin API serves the public one.
 */
function signingKeyPair() {
  if (!signingPair) {
    signingPair = (async () => {
      const subtle = globalThis.crypto.subtle
      const keys = (await subtle.generateKey(
        { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )) as webcrypto.CryptoKeyPair
      return {
        privateKeyPem: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey)),
        publicKeyPem: pem('PUBLIC KEY', await subtle.exportKey('spki', keys.publicKey)),
      }
    })()
    signingPair.catch(() => {})
  }
  return signingPair
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000

const serial = () => {
  const b = randomBytes(16)
  b[0] = b[0]! & 0x7f
  return hex(b)
}

/**
 * Creates the ESS key material of one mock: the signing key (shared by the process) and a client
 * CA plus a client certificate (ECDSA P-256, 1 year, `extKeyUsage clientAuth`) with Concur's 2026
 * subject, `CN=webhook.api.concursolutions.com`.
 */
export async function createEventKeyMaterial(): Promise<EventKeyMaterial> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(globalThis.crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  const subtle = globalThis.crypto.subtle
  const now = Date.now()
  const notBefore = new Date(now - 3_600_000)
  const caKeys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=concurkit mock ESS client CA ${hex(randomBytes(4))}, O=concurkit`,
    notBefore,
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: EC_P256,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const clientKeys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const client = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'C=DE, ST=Baden-Wuerttemberg, L=Walldorf, O=SAP SE, CN=webhook.api.concursolutions.com',
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: EC_P256,
    publicKey: clientKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'webhook.api.concursolutions.com' }]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  })
  const { privateKeyPem, publicKeyPem } = await signingKeyPair()
  return {
    signingKey: privateKeyPem,
    publicKeyPem,
    clientCaPem: `${ca.toString('pem').replace(/\r\n/g, '\n').trimEnd()}\n`,
    clientCertPem: `${client.toString('pem').replace(/\r\n/g, '\n').trimEnd()}\n`,
    clientKeyPem: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', clientKeys.privateKey)),
  }
}
