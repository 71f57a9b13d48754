/**
 * The namespace of every edXML element (QCVN 102:2016/BTTTT). Public
 * packages declare it as the default namespace of the `edXML` root and again
 * with the prefix `edXML` on `edXMLEnvelope`.
 *
 * @example
 * doc.documentElement.namespaceURI === EDXML_NAMESPACE
 */
export const EDXML_NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

/** The prefix civicase writes on envelope elements (`edXML:MessageHeader`); readers accept any prefix bound to {@link EDXML_NAMESPACE}. */
export const EDXML_PREFIX = "edXML"

/** XLink, for the manifest's `Reference xlink:href="cid:…"`. */
export const XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"

/** XML Signature (XML-DSig). */
export const XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"

/** Where namespace declarations live in the DOM. */
export const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/"
