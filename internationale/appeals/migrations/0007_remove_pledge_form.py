from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0006_pledge_forms_from_form'),
    ]

    operations = [
        # A default first, so that going back adds the column to existing rows (blank, until
        # 0006 backwards writes each pledge's form).
        migrations.AlterField(
            model_name='pledge',
            name='form',
            field=models.CharField(choices=[('propaganda', 'Propaganda: statements, publicity'), ('sympathy', 'Sympathy: protest letters, messages, actions'), ('material_aid', 'Material aid: money, goods')], default='', max_length=20, verbose_name='form'),
        ),
        migrations.RemoveField(
            model_name='pledge',
            name='form',
        ),
    ]
