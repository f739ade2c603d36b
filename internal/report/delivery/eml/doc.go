// Package eml builds the Internet message (RFC 5322, MIME) of a report:
// what the email backend sends and the inbox backend stores as a .eml
// file, so that what a developer sees in the inbox is byte for byte what IT
// would receive.
//
// The message is deterministic: the same report and addresses always give
// the same bytes (the Date is the report's creation time, the MIME
// boundary derives from the key), so a re-delivery is an identical copy.
// Its Message-ID is <KEY@firstline> and it carries an X-Firstline-Key
// header, so a mail system or a person can recognise a duplicate.
//
// Layout:
//
//	multipart/mixed
//	├── text/plain; charset=utf-8 (quoted-printable): delivery.Message.Body
//	└── one part per attachment (base64), Content-Disposition: attachment
//	    with its file name (RFC 2231 encoded when not plain ASCII)
package eml
