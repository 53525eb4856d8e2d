#!/usr/bin/perl
# SPDX-License-Identifier: LGPL-2.1-or-later
# Debian's stock Sys::Virt (libsys-virt-perl) on one daemon: prints one line
# per step, "STEP: RESULT", where RESULT is what the call returned or
# "error CODE DOMAIN: MESSAGE".  check-perl.py runs it against virtkitd and
# against libvirtd serving libvirt's test driver and compares the lines.
#
# usage: tour-perl.pl URI
use strict;
use warnings;
use Sys::Virt;
use Sys::Virt::Event;

my $uri = shift or die "usage: $0 URI\n";
$| = 1;

# Errors as values: code, domain and message, as a script would match them.
sub step {
    my ($name, $fn) = @_;
    my $out = eval { $fn->() };
    if ($@) {
        my $e = $@;
        if (ref $e && $e->isa("Sys::Virt::Error")) {
            $out = sprintf("error %d %d: %s", $e->code, $e->domain, $e->message);
        } else {
            chomp $e;
            $out = "die: $e";
        }
    }
    $out = "undef" unless defined $out;
    $out =~ s/\n/\\n/g;
    print "$name: $out\n";
}

my $vm = <<'XML';
<domain type='test'><name>perl1</name>
<uuid>33333333-4444-5555-6666-777777777777</uuid>
<memory unit='KiB'>524288</memory><currentMemory unit='KiB'>524288</currentMemory>
<vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os></domain>
XML

Sys::Virt::Event::register_default();
my $c = Sys::Virt->new(uri => $uri);
my $ro = Sys::Virt->new(uri => $uri, readonly => 1);

my @events;
my $cbid = $c->domain_event_register_any(undef, Sys::Virt::Domain::EVENT_ID_LIFECYCLE,
    sub { my ($con, $dom, $event, $detail) = @_;
          push @events, $dom->get_name() . " $event $detail"; });

step("type", sub { $c->get_type() });
step("lib version positive", sub { $c->get_library_version() > 0 ? "yes" : "no" });
step("hostname", sub { $c->get_hostname() });
step("is alive", sub { $c->is_alive() });
step("is secure", sub { $c->is_secure() });
step("max vcpus", sub { $c->get_max_vcpus("test") });
step("node info", sub { my $i = $c->get_node_info();
                        join(",", map { "$_=$i->{$_}" } sort keys %$i) });
step("capabilities has host", sub { $c->get_capabilities() =~ /<host>/ ? "yes" : "no" });
step("domains", sub { join(",", sort map { $_->get_name() } $c->list_all_domains()) });
step("num of domains", sub { $c->num_of_domains() });
step("domain ids", sub { join(",", $c->list_domain_ids(10)) });

my $t = $c->get_domain_by_name("test");
step("test id", sub { $t->get_id() });
step("test uuid", sub { $t->get_uuid_string() });
step("test os type", sub { $t->get_os_type() });
step("test info", sub { my $i = $t->get_info();
                        join(",", map { "$_=$i->{$_}" } grep { $_ ne "cpuTime" } sort keys %$i) });
step("test state", sub { join(",", $t->get_state()) });
step("test active/persistent", sub { $t->is_active() . "," . $t->is_persistent() });
step("test autostart", sub { $t->get_autostart() });
step("test max memory", sub { $t->get_max_memory() });
step("test scheduler type", sub { join(",", $t->get_scheduler_type()) });
step("test scheduler params", sub { my $p = $t->get_scheduler_parameters();
                                    join(",", map { "$_=$p->{$_}" } sort keys %$p) });
step("test memory params", sub { my $p = $t->get_memory_parameters();
                                 join(",", map { "$_=$p->{$_}" } sort keys %$p) });
step("test xml names test", sub { $t->get_xml_description() =~ m{<name>test</name>} ? "yes" : "no" });
step("missing domain", sub { $c->get_domain_by_name("no-such-domain") });
step("read-only destroy", sub { $ro->get_domain_by_name("test")->destroy() });

my $d;
step("define", sub { $d = $c->define_domain($vm); $d->get_name() });
step("defined names", sub { join(",", sort $c->list_defined_domain_names(10)) });
step("start", sub { $d->create(); join(",", $d->get_state()) });
step("suspend", sub { $d->suspend(); join(",", $d->get_state()) });
step("resume", sub { $d->resume(); join(",", $d->get_state()) });
step("set memory", sub { $d->set_memory(262144); $d->get_info()->{memory} });
step("snapshot create", sub { $d->create_snapshot("<domainsnapshot><name>s1</name></domainsnapshot>")->get_name() });
step("snapshot list", sub { join(",", map { $_->get_name() } $d->list_all_snapshots()) });
step("snapshot current", sub { $d->current_snapshot()->get_name() });
step("destroy", sub { $d->destroy(); join(",", $d->get_state()) });
step("undefine with snapshots", sub { $d->undefine() });
step("snapshot delete", sub { $d->get_snapshot_by_name("s1")->delete(); $d->num_of_snapshots() });
step("undefine", sub { $d->undefine(); "done" });
step("gone", sub { $c->get_domain_by_name("perl1") });
step("a stale handle", sub { $d->get_info() });

# the lifecycle events of the steps above, delivered by the default loop
# (a periodic timer, so that the loop wakes up when no event comes)
my $tick = Sys::Virt::Event::add_timeout(200, sub { });
my $deadline = time + 5;
while (@events < 6 && time < $deadline) {
    Sys::Virt::Event::run_default();
}
step("events", sub { join(";", @events) });
step("deregister", sub { $c->domain_event_deregister_any($cbid); "done" });
Sys::Virt::Event::remove_timeout($tick);
