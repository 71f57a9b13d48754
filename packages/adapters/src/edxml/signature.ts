import type { KeyLike } from "node:crypto"
import { type Element, XMLSerializer } from "@xmldom/xmldom"
import { SignedXml } from "xml-crypto"
import { EdxmlError } from "./errors.js"
import { resolveLimits, type EdxmlLimits } from "./limits.js"
import { XMLDSIG_NAMESPACE } from "./namespaces.js"
import { type ElementReader, parseXmlDocument } from "./xml-reader.js"

/**
 * Signs a package (ký số gói tin). Implement it to sign with a USB token, an
 * HSM or a signing service; {@link xmlDsigSigner} signs with a key in memory.
 * It receives the unsigned XML and returns it signed.
 *
 * @example
 * const hsmSigner: EdxmlSigner = { sign: async (xml) => hsm.signEnveloped(xml) }
 */
export interface EdxmlSigner {
  sign(xml: string): Promise<string>
}

/**
 * Verifies a package's signature; resolves when it holds and rejects with an
 * `EdxmlError` (`CIVICASE_E_EDXML_SIGNATURE`) when it does not.
 * {@link xmlDsigVerifier} checks XML-DSig against trusted keys.
 *
 * @example
 * await parseEdxmlPackage(xml, { verifier: xmlDsigVerifier({ publicKeys: [senderKey] }) })
 */
export interface EdxmlVerifier {
  verify(xml: string): Promise<void>
}

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
const RSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
const SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

/**
 * Options of {@link xmlDsigSigner}.
 *
 * @example
 * const options: XmlDsigSignerOptions = { privateKey: pem, certificate: certPem }
 */
export interface XmlDsigSignerOptions {
  /** The signing key (PEM or a `KeyObject`); civicase never stores or logs it. */
  readonly privateKey: KeyLike
  /** A PEM certificate to publish in `KeyInfo/X509Data`, for receivers that look the signer up by certificate. */
  readonly certificate?: string
  /** `rsa-sha256` (default) or `rsa-sha512`. */
  readonly algorithm?: "rsa-sha256" | "rsa-sha512"
}

/**
 * An enveloped XML-DSig signer: one `ds:Signature` appended to `edXMLHeader`,
 * with one reference to the whole document (`URI=""`, enveloped-signature
 * and exclusive canonicalisation), so the header, the manifest and the
 * attachments are all covered.
 *
 * @example
 * const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
 * const signed = await signEdxml(buildEdxmlPackage(pkg), xmlDsigSigner({ privateKey }))
 */
export function xmlDsigSigner(options: XmlDsigSignerOptions): EdxmlSigner {
  const rsaSha512 = options.algorithm === "rsa-sha512"
  return {
    sign: async (xml) => {
      const sig = new SignedXml({
        privateKey: options.privateKey,
        ...(options.certificate ? { publicCert: options.certificate } : {}),
        signatureAlgorithm: rsaSha512 ? RSA_SHA512 : RSA_SHA256,
        canonicalizationAlgorithm: EXC_C14N,
      })
      sig.addReference({ xpath: "/*", isEmptyUri: true, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: rsaSha512 ? SHA512 : SHA256 })
      sig.computeSignature(xml, {
        location: { reference: "/*[local-name()='edXML']/*[local-name()='edXMLEnvelope']/*[local-name()='edXMLHeader']", action: "append" },
      })
      return sig.getSignedXml()
    },
  }
}

/**
 * Options of {@link xmlDsigVerifier}.
 *
 * @example
 * const options: XmlDsigVerifierOptions = { publicKeys: [currentKey, previousKey] }
 */
export interface XmlDsigVerifierOptions {
  /** Trusted keys (PEM public keys or certificates, or `KeyObject`s); a signature by any of them is accepted. Keys in the package's own `KeyInfo` are never trusted. */
  readonly publicKeys: ReadonlyArray<KeyLike>
  /** Limits for the verifier's own parse of the package (the defaults unless given); keep them in step with the parser's. */
  readonly limits?: Partial<EdxmlLimits>
}

const signatureAlgorithms = new Set([RSA_SHA256, RSA_SHA512])
const digestAlgorithms = new Set([SHA256, SHA512])

const refuse = (path: string, reason: string) => new EdxmlError("CIVICASE_E_EDXML_SIGNATURE", path, reason)

/**
 * The XML-DSig verifier matching {@link xmlDsigSigner}. It accepts exactly
 * one signature, placed in `edXMLHeader`, over the whole document
 * (`URI=""` with the enveloped transform), by RSA-SHA256 or RSA-SHA512, that
 * verifies against one of the trusted keys. Anything else, a second
 * signature or a reference to part of the document included, is refused:
 * that is how signature-wrapping attacks are kept out.
 *
 * @example
 * const verifier = xmlDsigVerifier({ publicKeys: [readFileSync("lgsp-sender.pub.pem", "utf8")] })
 * const pkg = await parseEdxmlPackage(xml, { verifier })
 */
export function xmlDsigVerifier(options: XmlDsigVerifierOptions): EdxmlVerifier {
  if (!Array.isArray(options.publicKeys) || options.publicKeys.length === 0) throw new TypeError("xmlDsigVerifier needs at least one trusted public key")
  const limits = resolveLimits(options.limits)
  return {
    verify: async (xml) => {
      const { root } = parseXmlDocument(xml, limits)
      const header = root.require("edXMLEnvelope").require("edXMLHeader")
      const signatures = root.element.getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Signature")
      const path = `${header.path}/Signature`
      if (signatures.length === 0) throw refuse(path, "the package is not signed")
      if (signatures.length > 1) throw refuse(path, `the package has ${signatures.length} signatures; exactly one is accepted`)
      const node = signatures[0]!
      if (node.parentNode !== header.element) throw refuse(path, "the signature must be a child of edXMLHeader")
      const signatureXml = new XMLSerializer().serializeToString(node as never)
      let lastFailure = "it does not verify against any trusted key"
      for (const key of options.publicKeys) {
        const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null })
        try {
          sig.loadSignature(signatureXml)
          if (!signatureAlgorithms.has(sig.signatureAlgorithm ?? "")) throw refuse(path, `the signature algorithm ${String(sig.signatureAlgorithm)} is not accepted (RSA-SHA256 or RSA-SHA512)`)
          if (!sig.checkSignature(xml)) continue
        } catch (e) {
          if (e instanceof EdxmlError) throw e
          lastFailure = `it does not verify (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`
          continue
        }
        // xml-crypto reads URI="" back as undefined, so the attribute itself is checked on the document.
        const refElements = (node as Element).getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Reference")
        const refs = sig.getReferences()
        const wholeDocument = refElements.length === 1 && refElements[0]!.hasAttribute("URI") && refElements[0]!.getAttribute("URI") === ""
        if (!wholeDocument || refs.length !== 1 || !refs[0]!.transforms.includes(ENVELOPED)) {
          throw refuse(path, "the signature must have one reference, to the whole document (URI=\"\" with the enveloped-signature transform)")
        }
        if (!digestAlgorithms.has(refs[0]!.digestAlgorithm)) throw refuse(path, `the digest algorithm ${refs[0]!.digestAlgorithm} is not accepted (SHA-256 or SHA-512)`)
        return
      }
      throw refuse(path, `the signature is not valid: ${lastFailure}`)
    },
  }
}

/** Whether `edXMLHeader` holds a `ds:Signature`. */
export function hasSignature(header: ElementReader): boolean {
  for (let n = header.element.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === "Signature" && (n as Element).namespaceURI === XMLDSIG_NAMESPACE) return true
  }
  return false
}

/**
 * Signs a package or status packet with `signer`. A package that is already
 * signed is refused: a second signature would make verifiers disagree about
 * which one counts.
 *
 * @example
 * const signed = await signEdxml(buildEdxmlPackage(pkg), xmlDsigSigner({ privateKey }))
 */
export async function signEdxml(xml: string, signer: EdxmlSigner, options: { limits?: Partial<EdxmlLimits> } = {}): Promise<string> {
  const { root } = parseXmlDocument(xml, resolveLimits(options.limits))
  const header = root.require("edXMLEnvelope").require("edXMLHeader")
  if (hasSignature(header)) throw refuse(`${header.path}/Signature`, "the package is already signed")
  return signer.sign(xml)
}
