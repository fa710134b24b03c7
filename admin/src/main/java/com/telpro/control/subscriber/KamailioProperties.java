package com.telpro.control.subscriber;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the admin service reaches the Kamailio edge and what it sets up for it in
 * PostgreSQL.
 *
 * @param rpcUrl Kamailio's JSON-RPC endpoint (jsonrpcs over xhttp,
 * {@code WITH_JSONRPC_HTTP}; loopback)
 * @param rpcTimeout connect and answer timeout of one JSON-RPC call
 * @param dbRole the PostgreSQL role Kamailio connects with
 * @param dbPassword that role's password; when empty the service does not create or
 * change the role
 * @param sipDomain the edge's SIP_DOMAIN: the domain new accounts get by default
 */
@ConfigurationProperties("telpro.kamailio")
public record KamailioProperties(@DefaultValue("http://127.0.0.1:5071/RPC") URI rpcUrl,
		@DefaultValue("2s") Duration rpcTimeout, @DefaultValue("kamailio") String dbRole,
		@DefaultValue("") String dbPassword, @DefaultValue("sip.telpro.test") String sipDomain) {

	@Override
	public String toString() {
		return "KamailioProperties[rpcUrl=" + rpcUrl + ", rpcTimeout=" + rpcTimeout + ", dbRole=" + dbRole
				+ ", dbPassword=" + (dbPassword.isEmpty() ? "" : "***") + ", sipDomain=" + sipDomain + "]";
	}

}
