package com.telpro.control.trunk;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

public interface TrunkRepository extends JpaRepository<Trunk, Long>, JpaSpecificationExecutor<Trunk> {

	@Query("select t from Trunk t order by t.stored.priority, t.stored.name")
	List<Trunk> findAllByOrderByPriorityAscNameAsc();

	@Query("select t from Trunk t where t.stored.enabled = true order by t.stored.priority, t.stored.name")
	List<Trunk> findAllByEnabledTrueOrderByPriorityAscNameAsc();

	@Query("select t from Trunk t where t.stored.name = ?1")
	Optional<Trunk> findByName(String name);

	@Query("select count(t) > 0 from Trunk t where t.stored.name = ?1 and t.id <> ?2")
	boolean existsByNameAndIdNot(String name, Long id);

	@Query("select count(t) > 0 from Trunk t where t.stored.name = ?1")
	boolean existsByName(String name);

	@Query("select t from Trunk t where t.stored.tlsCaSecretId = ?1")
	List<Trunk> findAllByTlsCaSecretId(Long secretId);

}
