package com.telpro.control.sync;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface SyncRunRepository extends JpaRepository<SyncRun, Long> {

	List<SyncRun> findTop10ByOrderByStartedAtDescIdDesc();

}
