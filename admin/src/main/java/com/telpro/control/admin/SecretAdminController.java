package com.telpro.control.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.telpro.control.config.NotFoundException;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.secret.SecretInUseException;
import com.telpro.control.secret.SecretPurpose;
import com.telpro.control.secret.SecretRejectedException;
import com.telpro.control.secret.SecretUpload;
import com.telpro.control.secret.SecretView;
import com.telpro.control.secret.TlsWatcherStatuses;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The "Platform Secrets" tab: the list with each certificate's subject, validity,
 * fingerprint and expiry warning, the upload form (PEM pasted or a file), delete with
 * confirmation. The PEM is never echoed back into the form, whatever happened: it may be
 * a private key.
 */
@Controller
class SecretAdminController {

	static final String PAGE = "/admin-settings/secrets";

	private static final String VIEW = "secrets/list";

	private static final int MAX_PEM_BYTES = 65536;

	private final PlatformSecretService secrets;

	private final TlsWatcherStatuses edge;

	private final MessageSource messages;

	private final FormErrors formErrors;

	SecretAdminController(PlatformSecretService secrets, TlsWatcherStatuses edge, MessageSource messages,
			FormErrors formErrors) {
		this.secrets = secrets;
		this.edge = edge;
		this.messages = messages;
		this.formErrors = formErrors;
	}

	@InitBinder("upload")
	void initBinder(WebDataBinder binder) {
		binder.setAllowedFields("name", "purpose", "pem");
	}

	@GetMapping(PAGE)
	String list(Model model) {
		if (!model.containsAttribute("upload")) {
			model.addAttribute("upload", new SecretUploadForm());
		}
		return page(model);
	}

	@PostMapping(PAGE)
	String upload(@ModelAttribute("upload") SecretUploadForm form, BindingResult result,
			@RequestParam(name = "file", required = false) MultipartFile file, Model model, RedirectAttributes redirect,
			Locale locale) {
		String pem = form.getPem();
		if (file != null && !file.isEmpty()) {
			if (file.getSize() > MAX_PEM_BYTES) {
				result.rejectValue("pem", "secrets.pem.tooLarge");
			}
			else {
				pem = read(file);
			}
		}
		form.setPem(null); // never rendered back
		if (form.getName() == null || form.getName().isBlank()) {
			result.rejectValue("name", "secrets.name.required");
		}
		if (form.getPurpose() == null) {
			result.rejectValue("purpose", "secrets.purpose.required");
		}
		if (pem == null || pem.isBlank()) {
			result.rejectValue("pem", "secrets.pem.required");
		}
		if (result.hasErrors()) {
			return page(model);
		}
		SecretView created;
		try {
			created = secrets.upload(new SecretUpload(form.getName().strip(), form.getPurpose(), pem));
		}
		catch (SecretRejectedException ex) {
			formErrors.reject(ex, result, locale);
			return page(model);
		}
		redirect.addFlashAttribute("message",
				created.warnings().isEmpty()
						? messages.getMessage("secrets.uploaded", new Object[] { created.name() }, locale)
						: messages.getMessage("secrets.uploaded.warnings",
								new Object[] { created.name(), String.join("; ", created.warnings()) }, locale));
		return "redirect:" + PAGE;
	}

	@PostMapping(PAGE + "/{id}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
		try {
			secrets.delete(id);
			redirect.addFlashAttribute("message", messages.getMessage("secrets.deleted", null, locale));
		}
		catch (SecretInUseException ex) {
			redirect.addFlashAttribute("error", messages.getMessage("secrets.notDeleted.inUse",
					new Object[] { String.join(", ", ex.trunkNames()) }, locale));
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", messages.getMessage("secrets.gone", null, locale));
		}
		return "redirect:" + PAGE;
	}

	private String page(Model model) {
		List<SecretView> all = secrets.list();
		model.addAttribute("secrets", all);
		model.addAttribute("purposes", SecretPurpose.values());
		model.addAttribute("warningDays", SecretView.EXPIRY_WARNING.toDays());
		model.addAttribute("edge", edge.status());
		return VIEW;
	}

	private static String read(MultipartFile file) {
		try {
			return new String(file.getBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
