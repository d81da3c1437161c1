import {
  createPrivateKey,
  type KeyObject,
  X509Certificate as NodeX509Certificate,
  randomBytes,
  webcrypto,
} from 'node:crypto'
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { MockTlsError, type MockTlsMaterial, type MockTlsOptions } from './tls-types.js'

export { MockTlsError, type MockTlsInfo, type MockTlsMaterial, type MockTlsOptions } from './tls-types.js'

const DAY_MS = 86_400_000
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`

const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v))

/** A positive 128-bit serial number (RFC 5280 §4.1.2.2). */
const serial = () => {
  const b = randomBytes(16)
  b[0] = b[0]! & 0x7f
  return b.toString('hex')
}

/** The webcrypto signing algorithm for a CA key given as a Node `KeyObject`. */
function signingAlgorithm(key: KeyObject): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (curve === 'prime256v1') return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    if (curve === 'secp384r1') return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' }
  }
  throw new MockTlsError(
    `the CA key is ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}: use an RSA or ECDSA P-256/P-384 key`,
  )
}

/** The hosts of the server certificate: loopback names, the bound host and the extra ones. */
function certificateHosts(bound: string | undefined, extra: readonly string[] = []): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1']
  const wildcard = bound === undefined || bound === '0.0.0.0' || bound === '::'
  for (const h of [...(wildcard ? [] : [bound]), ...extra]) {
    const name = h.replace(/^\[|\]$/g, '').trim()
    if (!name) continue
    if (
      isIP(name) === 0 &&
      !/^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(name)
    )
      throw new MockTlsError(`"${h}" is not a host name or IP address`)
    if (!hosts.includes(name.toLowerCase())) hosts.push(name.toLowerCase())
  }
  return hosts
}

/**
 * Creates the mock's TLS material: a CA (generated now, ECDSA P-256, valid 1 year, its key kept only
 * in memory and dropped once the server certificate is signed — or the one given), a server
 * certificate for `localhost`, `127.0.0.1`, `::1` and the bound host, and `ca.pem` written to
 * `options.dir` (or a new temp directory). No `openssl` binary, nothing cached in the home directory.
 *
 * @example
 * const tls = await createMockTls({}, '127.0.0.1')
 * https.createServer({ key: tls.key, cert: tls.cert }, handler) // clients trust tls.ca
 */
export async function createMockTls(
  options: MockTlsOptions = {},
  boundHost?: string,
): Promise<MockTlsMaterial> {
  // @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata
  // polyfill loaded first. Both load only when a TLS mock starts.
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  const subtle = webcrypto.subtle
  const hosts = certificateHosts(boundHost, options.hosts)
  const now = Date.now()
  // A little in the past, so clients whose clock is slightly behind accept it at once.
  const notBefore = new Date(now - 3_600_000)

  let caCert: InstanceType<typeof x509.X509Certificate>
  let caKey: webcrypto.CryptoKey
  let caAlgorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams
  if (options.ca) {
    let nodeCert: NodeX509Certificate
    let nodeKey: KeyObject
    try {
      nodeCert = new NodeX509Certificate(bytes(options.ca.cert))
    } catch (err) {
      throw new MockTlsError('the CA certificate is not a PEM X.509 certificate', { cause: err })
    }
    try {
      nodeKey = createPrivateKey(bytes(options.ca.key))
    } catch (err) {
      throw new MockTlsError('the CA key is not a PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1)', {
        cause: err,
      })
    }
    if (!nodeCert.ca)
      throw new MockTlsError('the CA certificate is not a CA (basicConstraints cA is not set)')
    if (!nodeCert.checkPrivateKey(nodeKey))
      throw new MockTlsError('the CA key does not belong to the CA certificate')
    if (Date.parse(nodeCert.validTo) <= now)
      throw new MockTlsError(`the CA certificate expired on ${nodeCert.validTo}`)
    caAlgorithm = signingAlgorithm(nodeKey)
    const der = nodeKey.export({ format: 'der', type: 'pkcs8' })
    caKey = await subtle.importKey('pkcs8', der, caAlgorithm, false, ['sign'])
    caCert = new x509.X509Certificate(nodeCert.raw)
  } else {
    caAlgorithm = EC_P256
    const keys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
    caKey = keys.privateKey
    caCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=concurkit mock CA ${randomBytes(4).toString('hex')}, O=concurkit`,
      notBefore,
      notAfter: new Date(now + 365 * DAY_MS),
      signingAlgorithm: EC_P256,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    })
  }

  const serverKeys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const caNotAfter = caCert.notAfter.getTime()
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost, O=concurkit mock',
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(Math.min(now + 365 * DAY_MS, caNotAfter)),
    signingAlgorithm: caAlgorithm,
    publicKey: serverKeys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  })
  const key = pem('PRIVATE KEY', await subtle.exportKey('pkcs8', serverKeys.privateKey))
  const caPem = `${caCert.toString('pem').replace(/\r\n/g, '\n').trimEnd()}\n`

  let dir = options.dir
  const created = dir === undefined
  try {
    if (dir === undefined) dir = await mkdtemp(join(tmpdir(), 'concurkit-mock-tls-'))
    else await mkdir(dir, { recursive: true, mode: 0o700 })
    const ca = join(dir, 'ca.pem')
    // A certificate is public: readable by the clients of other users, written whole.
    await writeFile(`${ca}.tmp`, caPem, { mode: 0o644 })
    await chmod(`${ca}.tmp`, 0o644)
    await rename(`${ca}.tmp`, ca)
    const tmp = dir
    return {
      ca,
      caPem,
      hosts,
      cert: server.toString('pem').replace(/\r\n/g, '\n'),
      key,
      async dispose() {
        if (created) await rm(tmp, { recursive: true, force: true })
      },
    }
  } catch (err) {
    if (created && dir) await rm(dir, { recursive: true, force: true }).catch(() => {})
    const reason = err instanceof Error ? err.message : String(err)
    throw new MockTlsError(`cannot write the CA certificate: ${reason}`, { cause: err })
  }
}
