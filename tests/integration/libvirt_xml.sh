#!/bin/sh
# libvirt domainsnapshot XML: export valid against libvirt's schema, import
# (--xml) and redefine (--xml --redefine), and bad XML refused by line with
# nothing changed.
. "$(dirname "$0")/lib.sh"
setup
command -v virt-xml-validate >/dev/null || skip_all "virt-xml-validate is not installed (libvirt-clients)"
SCHEMA=${DOMSNAP_CONFORMANCE:-$TESTS_DIR/../../shared/conformance}/libvirt/schemas/domainsnapshot.rng

qemu-img create -q -f qcow2 "$T/x-a.qcow2" 64M
qemu-img create -q -f raw "$T/x-b.raw" 16M
write_cfg x "$T/x-a.qcow2,qcow2,xvda" "$T/x-b.raw,raw,xvdb"
check "create" ds create "$T/x.cfg"
guest_wait x.sock "set 41" "disk-write vda A-vda" "disk-write vdb A-vdb" >/dev/null
state() { echo $(guest x.sock get "disk-read vda" "disk-read vdb"); }

check "snapshot s1" ds snapshot-create x --name s1 --description "before <the> upgrade & more"
ds snapshot-dumpxml x s1 >"$T/s1.xml"
ds snapshot-dumpxml x s1 --domain >"$T/s1-domain.xml"
check "dumpxml is valid for virt-xml-validate" virt-xml-validate "$T/s1.xml" domainsnapshot
check "dumpxml --domain is valid for virt-xml-validate" virt-xml-validate "$T/s1-domain.xml" domainsnapshot
check "dumpxml --domain is valid against libvirt 10.7's schema" \
    xmllint --noout --relaxng "$SCHEMA" "$T/s1-domain.xml"
xml=$(cat "$T/s1.xml")
expect_match "dumpxml: name" "<name>s1</name>" "$xml"
expect_match "dumpxml: description, escaped" "<description>before &lt;the&gt; upgrade &amp; more</description>" "$xml"
expect_match "dumpxml: state" "<state>running</state>" "$xml"
expect_match "dumpxml: external memory and its file" "<memory snapshot='external' file='$T/state/lib/domains/x/snapshots/s1/memory.img'/>" "$xml"
expect_match "dumpxml: internal qcow2 disk" "<disk name='xvda' snapshot='internal'/>" "$xml"
expect_match "dumpxml: raw disk external, with its overlay" "<source file='$T/state/lib/domains/x/snapshots/s1/xvdb.qcow2'/>" "$xml"
expect_match "dumpxml --domain: the domain, with its disks" "<source file='$T/x-a.qcow2'/>" "$(cat "$T/s1-domain.xml")"

# Import: a snapshot described the way virsh users write them.
cat >"$T/s2.xml" <<XML
<domainsnapshot>
  <name>s2</name>
  <description>from XML</description>
  <memory snapshot='external' file='$T/s2.mem'/>
  <disks>
    <disk name='xvda' snapshot='internal'/>
    <disk name='xvdb' snapshot='external'>
      <source file='$T/s2-xvdb.qcow2'/>
    </disk>
  </disks>
</domainsnapshot>
XML
guest x.sock "set 50" "disk-write vda S2-vda" "disk-write vdb S2-vdb" >/dev/null
check "snapshot-create --xml" ds snapshot-create x --xml "$T/s2.xml"
expect_eq "--xml: memory where the XML says" 600 "$(stat -c %a "$T/s2.mem")"
expect_match "--xml: overlay where the XML says" "backing file: " "$(qemu-img info -U "$T/s2-xvdb.qcow2")"
ds snapshot-dumpxml x s2 >"$T/s2-out.xml"
expect_match "--xml: the parent is s1" "<parent>.*<name>s1</name>" "$(cat "$T/s2-out.xml" | tr -d '\n')"
guest x.sock "set 60" "disk-write vda X" "disk-write vdb X" >/dev/null
check "revert to the XML-made s2" ds snapshot-revert x s2
expect_eq "s2's state back" "50 S2-vda S2-vdb" "$(state)"

# Redefine: the record is lost; the XML brings it back, and revert works.
rm "$T/state/lib/domains/x/snapshots/s1/snapshot.json"
out=$(ds snapshot-revert x s1 2>&1)
expect_match "without its record s1 is unknown" "snapshot 's1' does not exist for domain 'x'" "$out"
check "snapshot-create --xml --redefine" ds snapshot-create x --xml "$T/s1-domain.xml" --redefine
ds snapshot-dumpxml x s1 --domain >"$T/s1-again.xml"
check "redefined record dumps the same XML" cmp "$T/s1-domain.xml" "$T/s1-again.xml"
check "revert to the redefined s1" ds snapshot-revert x s1
expect_eq "s1's state back" "41 A-vda A-vdb" "$(state)"
out=$(ds snapshot-create x --xml "$T/s1-domain.xml" --redefine 2>&1)
expect_match "redefining an existing name is refused" "snapshot 's1' already exists" "$out"
sed -e 's|<name>s1</name>|<name>other-dom</name>|' \
    -e 's|<uuid>[^<]*</uuid>|<uuid>00000000-1111-2222-3333-444444444444</uuid>|' \
    "$T/s1-domain.xml" >"$T/other.xml"
out=$(ds snapshot-create x --xml "$T/other.xml" --redefine 2>&1)
expect_match "redefining another domain's snapshot (its UUID) is refused" \
    "other.xml: the snapshot is of the domain with UUID 00000000-1111-2222-3333-444444444444, and domain 'x' has UUID" "$out"
expect_eq "  and records nothing" "" "$(ls "$T/state/lib/domains/x/snapshots" | grep other-dom)"

# Bad XML: located, and nothing changes.
before=$(ls "$T/state/lib/domains/x/snapshots" | tr '\n' ' ')
bad() { # bad DESC PATTERN XML-TEXT
    printf '%s\n' "$3" >"$T/bad.xml"
    out=$(ds snapshot-create x --xml "$T/bad.xml" 2>&1) && not_ok "$1 (accepted)" ||
        expect_match "$1" "$2" "$out"
    expect_eq "$1: nothing changed" "$before" "$(ls "$T/state/lib/domains/x/snapshots" | tr '\n' ' ')"
}
bad "not well-formed" "bad.xml:3: not well-formed XML" "<domainsnapshot>
  <name>b</name>
  <disks></domainsnapshot>"
bad "wrong root" "bad.xml:1: the root element is <domain>, not <domainsnapshot>" "<domain>
</domain>"
bad "unknown memory mode" "bad.xml:3: unknown memory snapshot mode 'sideways'" "<domainsnapshot>
  <name>b</name>
  <memory snapshot='sideways'/>
</domainsnapshot>"
bad "a disk the domain does not have" "bad.xml:4: domain 'x' has no disk 'hdz'" "<domainsnapshot>
  <name>b</name>
  <disks>
    <disk name='hdz' snapshot='internal'/>
  </disks>
</domainsnapshot>"
bad "a block disk" "bad.xml:4: disk 'xvdb': type 'block' is not supported by domsnap" "<domainsnapshot>
  <name>b</name>
  <disks>
    <disk name='xvdb' snapshot='external' type='block'><source dev='/dev/sdz'/></disk>
  </disks>
</domainsnapshot>"
bad "a manual disk (a full copy, whose file XML does not name)" \
    "bad.xml:4: disk 'xvdb': snapshot='manual' .a full copy of a raw image" "<domainsnapshot>
  <name>b</name>
  <disks>
    <disk name='xvdb' snapshot='manual'/>
  </disks>
</domainsnapshot>"
expect_eq "bad XML: the guest kept running" "41 A-vda A-vdb" "$(state)"
check "destroy" ds destroy x
finish
