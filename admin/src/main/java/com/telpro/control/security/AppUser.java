package com.telpro.control.security;

import java.time.Instant;

import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A person or script allowed into the admin service. Holds only the password's hash. */
@Entity
@Table(name = "app_user")
class AppUser {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	private String username;

	private String passwordHash;

	@Convert(converter = RoleConverter.class)
	private Role role;

	private boolean enabled = true;

	private Instant createdAt;

	private Instant updatedAt;

	protected AppUser() {
	}

	AppUser(String username, String passwordHash, Role role) {
		this.username = username;
		this.passwordHash = passwordHash;
		this.role = role;
	}

	@PrePersist
	void onCreate() {
		createdAt = Instant.now();
		updatedAt = createdAt;
	}

	@PreUpdate
	void onUpdate() {
		updatedAt = Instant.now();
	}

	Long getId() {
		return id;
	}

	String getUsername() {
		return username;
	}

	String getPasswordHash() {
		return passwordHash;
	}

	void setPasswordHash(String passwordHash) {
		this.passwordHash = passwordHash;
	}

	Role getRole() {
		return role;
	}

	void setRole(Role role) {
		this.role = role;
	}

	boolean isEnabled() {
		return enabled;
	}

	void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	Instant getCreatedAt() {
		return createdAt;
	}

	Instant getUpdatedAt() {
		return updatedAt;
	}

	@Override
	public String toString() {
		// Never the hash: this string reaches logs.
		return "AppUser[id=" + id + ", username=" + username + ", role=" + role + "]";
	}

	@Converter
	static class RoleConverter implements AttributeConverter<Role, String> {

		@Override
		public String convertToDatabaseColumn(Role role) {
			return role == null ? null : role.wire();
		}

		@Override
		public Role convertToEntityAttribute(String value) {
			return value == null ? null : Role.fromWire(value);
		}

	}

}
