package com.telpro.control.trunk;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface TrunkRepository extends JpaRepository<Trunk, Long>, JpaSpecificationExecutor<Trunk> {

	List<Trunk> findAllByOrderByPriorityAscNameAsc();

	List<Trunk> findAllByEnabledTrueOrderByPriorityAscNameAsc();

	Optional<Trunk> findByName(String name);

	boolean existsByNameAndIdNot(String name, Long id);

	boolean existsByName(String name);

	List<Trunk> findAllByTlsCaSecretId(Long secretId);

}
