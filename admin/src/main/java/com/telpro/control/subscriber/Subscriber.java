package com.telpro.control.subscriber;

import com.telpro.control.common.DigestHashes;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A SIP account in Kamailio's own {@code subscriber} table. Only the digest hashes are
 * kept: {@code ha1 = md5(username:domain:password)} and
 * {@code ha1b = md5(username@domain:domain:password)} for clients that send the domain in
 * the username; the plaintext column stays empty.
 */
@Entity
@Table(name = "subscriber")
public class Subscriber {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	private String username;

	private String domain;

	private String password = "";

	private String ha1;

	private String ha1b;

	protected Subscriber() {
	}

	Subscriber(String username, String domain) {
		this.username = username;
		this.domain = domain;
	}

	void changePassword(String plaintext) {
		this.ha1 = DigestHashes.ha1(username, domain, plaintext);
		this.ha1b = DigestHashes.ha1(username + "@" + domain, domain, plaintext);
	}

	public Integer getId() {
		return id;
	}

	public String getUsername() {
		return username;
	}

	public String getDomain() {
		return domain;
	}

	public String getAor() {
		return username + "@" + domain;
	}

	String getHa1() {
		return ha1;
	}

	String getHa1b() {
		return ha1b;
	}

	@Override
	public String toString() {
		return "Subscriber[" + getAor() + "]";
	}

}
