package com.telpro.control.secret;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Rewrites every secret stored by the jasypt encryptor (one key derivation per value, ~1
 * ms) in {@link SecretCipher}'s AES-GCM form, so no load of trunks or secrets pays that
 * cost again. A Spring bean because it needs the secrets key; Spring Boot hands
 * JavaMigration beans to Flyway. Values already in the new form are left as they are, so
 * a half-finished run can simply rerun.
 */
@Component
class V70__Reencrypt_secrets_with_aes_gcm extends BaseJavaMigration {

	/**
	 * Every column that holds a {@link SecretCipher} value, by table (id column
	 * {@code id}).
	 */
	private static final Map<String, String> COLUMNS = Map.of("trunk", "auth_pass_encrypted", "platform_secret",
			"material_encrypted");

	private final SecretCipher cipher;

	V70__Reencrypt_secrets_with_aes_gcm(SecretCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
			reencrypt(connection, column.getKey(), column.getValue());
		}
	}

	private void reencrypt(Connection connection, String table, String column) throws SQLException {
		Map<Long, String> legacy = new LinkedHashMap<>();
		try (Statement select = connection.createStatement();
				ResultSet rows = select.executeQuery("select id, " + column + " from " + table + " where " + column
						+ " is not null and " + column + " not like '" + SecretCipher.PREFIX + "%'")) {
			while (rows.next()) {
				legacy.put(rows.getLong(1), rows.getString(2));
			}
		}
		if (legacy.isEmpty()) {
			return;
		}
		try (PreparedStatement update = connection
			.prepareStatement("update " + table + " set " + column + " = ? where id = ?")) {
			for (Map.Entry<Long, String> row : legacy.entrySet()) {
				update.setString(1, cipher.encrypt(cipher.decrypt(row.getValue())));
				update.setLong(2, row.getKey());
				update.addBatch();
			}
			update.executeBatch();
		}
	}

}
