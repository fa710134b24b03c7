package com.telpro.control.trunk;

import java.util.List;

import com.telpro.control.secret.SecretReferences;
import org.springframework.stereotype.Component;

/** The trunks' side of {@link SecretReferences}: a trunk references its TLS CA. */
@Component
class TrunkSecretReferences implements SecretReferences {

	private final TrunkRepository trunks;

	TrunkSecretReferences(TrunkRepository trunks) {
		this.trunks = trunks;
	}

	@Override
	public List<String> trunksUsing(long secretId) {
		return trunks.findAllByTlsCaSecretId(secretId).stream().map(Trunk::getName).sorted().toList();
	}

}
