// Small progressive enhancements; every rule is enforced by the server, the page works without this.
(function () {
	'use strict';

	// Forms with data-confirm ask before they submit (delete).
	document.querySelectorAll('form[data-confirm]').forEach(function (form) {
		form.addEventListener('submit', function (event) {
			if (!window.confirm(form.getAttribute('data-confirm'))) {
				event.preventDefault();
			}
		});
	});

	// Copy buttons (a new API token): copy the target's text, say so on the button.
	document.querySelectorAll('button[data-copy]').forEach(function (button) {
		button.hidden = false;
		button.addEventListener('click', function () {
			var target = document.getElementById(button.getAttribute('data-copy'));
			var text = target ? target.textContent.trim() : '';
			var done = function () {
				button.textContent = button.getAttribute('data-copied') || 'Copied';
			};
			if (navigator.clipboard && window.isSecureContext) {
				navigator.clipboard.writeText(text).then(done, function () { select(target); });
			} else {
				select(target);
				try {
					if (document.execCommand('copy')) {
						done();
					}
				} catch (e) {
					// the text stays selected: the operator copies it by hand
				}
			}
		});
	});

	function select(element) {
		if (!element) {
			return;
		}
		var range = document.createRange();
		range.selectNodeContents(element);
		var selection = window.getSelection();
		selection.removeAllRanges();
		selection.addRange(range);
	}

	// The trunk form shows the fields the selected methods use. A hidden field is also disabled,
	// so it is not submitted: the server then stores nothing for it, as it would anyway.
	var form = document.querySelector('form.trunk-form');
	if (!form) {
		return;
	}

	function checked(name, value) {
		var selector = 'input[name="' + name + '"]' + (value ? '[value="' + value + '"]' : '[type="checkbox"]');
		var input = form.querySelector(selector);
		return !!(input && input.checked);
	}

	function value(name) {
		var input = form.querySelector('[name="' + name + '"]');
		return input ? input.value : '';
	}

	function show(field, visible) {
		var row = form.querySelector('[data-field="' + field + '"]');
		if (!row) {
			return;
		}
		row.hidden = !visible;
		row.querySelectorAll('input, select, textarea').forEach(function (input) {
			input.disabled = !visible;
		});
	}

	function update() {
		var auth = value('authMethod');
		var digest = auth === 'digest' || auth === 'ip_and_digest';
		var tls = checked('requireTls');
		var verify = tls && checked('verifyPeer');
		var clientCert = tls && checked('requireClientCert');
		show('allowedIps', checked('identifyBy', 'source_ip') || auth !== 'digest');
		show('fromDomainPattern', checked('identifyBy', 'from_domain'));
		show('userAgentPattern', checked('identifyBy', 'user_agent'));
		show('regexNote', checked('identifyBy', 'from_domain') || checked('identifyBy', 'user_agent'));
		show('authRealm', digest);
		show('authUser', digest);
		show('authPass', digest);
		show('verifyPeer', tls);
		show('requireClientCert', tls);
		show('peerNameVerification', verify);
		show('tlsRemoteSubjectName', verify && value('peerNameVerification') === 'enabled');
		show('tlsCaSecretId', verify || clientCert);
	}

	form.addEventListener('change', update);
	update();
})();
