// Message and branch flags. They are #!define'd once in kamailio.cfg, where acc and usrloc take
// them as module parameters, and read here through the cfg framework (telpro.flt_*), so no flag
// number is written twice. Read once per process.

var numbers = null;

function flagNumbers() {
	if (numbers === null) {
		numbers = {
			acc: KSR.pv.geti("$sel(cfg_get.telpro.flt_acc)"),
			accMissed: KSR.pv.geti("$sel(cfg_get.telpro.flt_accmissed)"),
			accFailed: KSR.pv.geti("$sel(cfg_get.telpro.flt_accfailed)"),
			natBranch: KSR.pv.geti("$sel(cfg_get.telpro.flb_natb)")
		};
	}
	return numbers;
}

// A new call: acc writes its start, a missed call, and a failure.
function accountCall() {
	var f = flagNumbers();
	KSR.setflag(f.acc);
	KSR.setflag(f.accMissed);
	KSR.setflag(f.accFailed);
}

// The BYE ending a call: acc writes the end (and a failed BYE).
function accountCallEnd() {
	var f = flagNumbers();
	KSR.setflag(f.acc);
	KSR.setflag(f.accFailed);
}

// The branch goes to a contact behind NAT (usrloc's nat_bflag).
function markNatBranch() {
	KSR.setbflag(flagNumbers().natBranch);
}

module.exports = {
	accountCall: accountCall,
	accountCallEnd: accountCallEnd,
	markNatBranch: markNatBranch
};
