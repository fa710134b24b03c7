package com.telpro.control.secret;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface PlatformSecretRepository extends JpaRepository<PlatformSecret, Long> {

	List<PlatformSecret> findAllByOrderByPurposeAscNameAsc();

	List<PlatformSecret> findAllByPurposeOrderByNameAsc(SecretPurpose purpose);

	List<PlatformSecret> findAllByIdInAndPurposeOrderByIdAsc(Collection<Long> ids, SecretPurpose purpose);

	boolean existsByName(String name);

}
