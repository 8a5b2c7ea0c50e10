# A mailbox scanner that converts each Date header with parsedatetime and
# does not expect a date it cannot read.
package require mime
foreach d {{Tue, 1 Jul 2003 10:52:37 +0200} {sometime last week}} {
    puts "$d -> [mime::parsedatetime $d clock]"
}
